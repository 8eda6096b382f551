# E0301: an app's `image` is a string; `server.web` is a reference.
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
  image = server.web
  port "http" { to = 80 }
  health "tcp" {}
}
