# App `api`'s metrics port registers `api-metrics`, the service of another app.

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

app "api" {
  image   = "ghcr.io/acme/api:1.4.2"
  runs_on = server.web

  port "http" { to = 8080 }
  port "metrics" { to = 9090 }
  resources { cpu = 200, memory = 256MiB }
  health "http" {
    path = "/health"
    port = "http"
  }
}

app "exporter" {
  image   = "prom/statsd-exporter:v0.27.1"
  runs_on = server.web
  service = "api-metrics"

  port "http" { to = 8080 }
  resources { cpu = 200, memory = 256MiB }
  health "http" { path = "/health" }
}
