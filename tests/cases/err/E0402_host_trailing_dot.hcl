# Two routes Caddy cannot tell apart: hosts and paths match without regard to case, and a final dot names the same host.

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

route "a.example.com." {
  to   = app.api
  
  dns  = "external"
}

route "a.example.com" {
  to   = app.api
  
  dns  = "external"
}
