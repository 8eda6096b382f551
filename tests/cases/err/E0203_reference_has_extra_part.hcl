# E0203: `runs_on` takes a server, not a part of one: `server.web.ipv4` has a part too many.
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
  runs_on = server.web.ipv4
  port "http" { to = 80 }
  health "tcp" {}
}
