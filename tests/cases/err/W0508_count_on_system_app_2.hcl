# count = 2 on a system app, which runs one allocation per node anyway.

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

app "agent" {
  image   = "grafana/alloy:v1.4.2"
  runs_on = server.web
  type = "system"
  count = 2

  port "http" { to = 8080 }
  resources { cpu = 200, memory = 256MiB }
  health "http" { path = "/health" }
}
