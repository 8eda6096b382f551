# E0307: an A record takes `server.<name>.ipv4`, not the server's IPv6 address.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

server "web" {
  type     = "cx22"
  location = "nbg1"
  image    = "ubuntu-24.04"
}

dns "example.com" {
  record "@" { type = "A", value = server.web.ipv6 }
}
