# A sidecar task with 8MiB of memory.

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

app "web" {
  runs_on = server.web

  port "http" { to = 80 }
  health "http" { path = "/" }

  task "nginx" {
    image = "nginx:1.27-alpine"
    resources { cpu = 100, memory = 64MiB }
  }
  task "exporter" {
    image = "nginx/nginx-prometheus-exporter:1.3.0"
    resources { cpu = 50, memory = 8MiB }
  }
}
