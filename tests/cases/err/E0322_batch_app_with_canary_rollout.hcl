# A batch app with a canary rollout: Nomad allows no update block on batch jobs.

project "shop" {
  datacenters = ["dc1"]
  acme_email  = "ops@example.com"
}

environment "production" {}

server "web" {
  type     = "cx22"
  location = "nbg1"
  image    = "ubuntu-24.04"
}

rollout "slow" {
  strategy = "canary"
  stage { traffic = 10%, bake = 15m }
  stage { traffic = 100% }
}

app "backup" {
  image   = "restic/restic:0.17.1"
  runs_on = server.web
  type = "batch"
  schedule = "0 3 * * *"
  rollout = rollout.slow

  resources { cpu = 200, memory = 256MiB }
}
