# A batch app with a rolling rollout: Nomad allows no update block on batch jobs.

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
  strategy = "rolling"
}

app "backup" {
  image   = "restic/restic:0.17.1"
  runs_on = server.web
  type = "batch"
  schedule = "0 3 * * *"
  rollout = rollout.slow

  resources { cpu = 200, memory = 256MiB }
}
