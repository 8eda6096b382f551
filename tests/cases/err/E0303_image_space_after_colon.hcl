# image = "nginx: 1.27-alpine".

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
  image   = "nginx: 1.27-alpine"
  runs_on = server.web

  port "http" { to = 8080 }
  health "http" { path = "/health" }
}
