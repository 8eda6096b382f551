# A system app with a canary rollout: Nomad places no canaries for system jobs, so it would be dropped.

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

app "agent" {
  image   = "grafana/alloy:v1.4.2"
  runs_on = server.web
  type = "system"
  rollout = rollout.slow

  port "http" { to = 8080 }
  resources { cpu = 200, memory = 256MiB }
  health "http" { path = "/health" }
}
