# A second copy of the app for testing kept the service name.

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
  resources { cpu = 200, memory = 256MiB }
  health "http" { path = "/health" }
}

app "api-next" {
  image   = "ghcr.io/acme/api:1.5.0-rc1"
  runs_on = server.web
  service = "api"

  port "http" { to = 8080 }
  resources { cpu = 200, memory = 256MiB }
  health "http" { path = "/health" }
}
