# Two apps set the same explicit service for their metrics.

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

app "ingest" {
  image   = "ghcr.io/acme/api:1.4.2"
  runs_on = server.web
  service = "pipeline"

  port "http" { to = 8080 }
  resources { cpu = 200, memory = 256MiB }
  health "http" { path = "/health" }
}

app "transform" {
  image   = "ghcr.io/acme/transform:0.9.0"
  runs_on = server.web
  service = "pipeline"

  port "http" { to = 8080 }
  resources { cpu = 200, memory = 256MiB }
  health "http" { path = "/health" }
}
