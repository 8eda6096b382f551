# A database given 10m to become healthy, the same as Nomad's default progress deadline.

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

rollout "db" {
  strategy = "rolling"
  min_healthy_time = 60s
  healthy_deadline = 10m
}

app "postgres" {
  image   = "postgres:16.4-alpine"
  runs_on = server.web
  rollout = rollout.db

  port "pg" { to = 5432 }
  resources { cpu = 200, memory = 256MiB }
  health "tcp" {}
}
