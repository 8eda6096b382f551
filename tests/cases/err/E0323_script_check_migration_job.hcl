# A one-off migration checked by a script, without a port.

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

app "migrate" {
  image   = "ghcr.io/acme/migrate:4.1.0"
  runs_on = server.web
  type = "batch"

  resources { cpu = 200, memory = 256MiB }
  health "script" { command = "/bin/true" }
}
