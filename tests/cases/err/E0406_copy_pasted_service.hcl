# A copied app block that kept its service name.

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

app "blog" {
  image   = "ghost:5.96.0"
  runs_on = server.web
  service = "site"

  port "http" { to = 2368 }
  resources { cpu = 200, memory = 256MiB }
  health "http" { path = "/health" }
}

app "shop" {
  image   = "ghcr.io/acme/shop:1.0.0"
  runs_on = server.web
  service = "site"

  port "http" { to = 8080 }
  resources { cpu = 200, memory = 256MiB }
  health "http" { path = "/health" }
}
