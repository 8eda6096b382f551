# A worker with a script health check and no port: no service carries the check.

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

app "worker" {
  image   = "ghcr.io/acme/worker:2.0.1"
  runs_on = server.web

  resources { cpu = 200, memory = 256MiB }
  health "script" { command = "/bin/healthcheck" }
}
