# healthy_deadline 20m is not below progress_deadline 15m.

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
  healthy_deadline = 20m
  progress_deadline = 15m
}

app "api" {
  image   = "ghcr.io/acme/api:1.4.2"
  runs_on = server.web
  rollout = rollout.slow

  port "http" { to = 8080 }
  resources { cpu = 200, memory = 256MiB }
  health "http" { path = "/health" }
}
