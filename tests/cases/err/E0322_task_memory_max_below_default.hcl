# A task block with memory_max only, below the default 300MB reservation.

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

app "authentik" {
  runs_on = server.web

  port "http" { to = 9000 }
  health "http" { path = "/-/health/live/" }

  task "server" {
    image = "ghcr.io/goauthentik/server:2024.8.3"
    resources { cpu = 500, memory_max = 256MiB }
  }
  task "worker" {
    image = "ghcr.io/goauthentik/server:2024.8.3"
    resources { cpu = 300, memory = 512MiB }
  }
}
