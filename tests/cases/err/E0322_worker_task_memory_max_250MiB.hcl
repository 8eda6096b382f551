# A worker task sets only memory_max (250MiB), below the 300MB default reservation.

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

app "queue" {
  runs_on = server.web

  port "http" { to = 8080 }
  health "http" { path = "/health" }

  task "web" {
    image = "ghcr.io/acme/queue:1.2.0"
    resources { cpu = 200, memory = 256MiB }
  }
  task "worker" {
    image = "ghcr.io/acme/queue:1.2.0"
    resources { cpu = 200, memory_max = 250MiB }
  }
}
