# A blocked header written as `Name: value`.

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
  health "http" { path = "/health" }
}

middleware "guard" {
  block "r" {
    headers = ["X-Scanner: sqlmap"]
  }
}

route "api.example.com" {
  to         = app.api
  middleware = [middleware.guard]
  dns = "external"
}
