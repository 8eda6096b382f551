# count = 5 on a system app.

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

app "promtail" {
  image   = "grafana/promtail:3.2.0"
  runs_on = server.web
  type = "system"
  count = 5

  port "http" { to = 8080 }
  resources { cpu = 200, memory = 256MiB }
  health "http" { path = "/health" }
}
