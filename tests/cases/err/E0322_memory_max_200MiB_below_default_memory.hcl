# memory_max 200MiB without memory: the reservation defaults to 300MB, above the ceiling.

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
  resources { cpu = 200, memory_max = 200MiB }
  health "http" { path = "/health" }
}
