# A canary rollout with an 11m healthy deadline against the default 10m progress deadline.

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
  healthy_deadline = 11m
  stage { traffic = 10%, bake = 15m }
  stage { traffic = 100% }
}

app "api" {
  image   = "ghcr.io/acme/api:1.4.2"
  runs_on = server.web
  rollout = rollout.slow

  port "http" { to = 8080 }
  resources { cpu = 200, memory = 256MiB }
  health "http" { path = "/health" }
}
