# A batch job with a script check and no port.

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

app "report" {
  image   = "ghcr.io/acme/report:1.0.0"
  runs_on = server.web
  type = "batch"

  resources { cpu = 200, memory = 256MiB }
  health "script" {
    command = "/usr/bin/test"
    args    = ["-f", "/tmp/ok"]
  }
}
