# A queue consumer checked by a script, without a port.

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

app "consumer" {
  image   = "ghcr.io/acme/consumer:3.2.0"
  runs_on = server.web

  resources { cpu = 200, memory = 256MiB }
  health "script" {
    command  = "/app/bin/ping-queue"
    interval = 30s
  }
}
