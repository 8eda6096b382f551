# E0203: `server` alone names no server; write `server.<name>`.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

server "web" {
  type     = "cx22"
  location = "nbg1"
  image    = "ubuntu-24.04"
}

app "web" {
  image   = "nginx:1.27-alpine"
  runs_on = server
  port "http" { to = 80 }
  health "tcp" {}
}
