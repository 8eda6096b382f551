# E0307: a route proxies to an app, an app port or an upstream, not to a server.
import "std/security"

project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

server "web" {
  type     = "cx22"
  location = "nbg1"
  image    = "ubuntu-24.04"
}

route "example.com" {
  to         = server.web
  middleware = [middleware.security]
  dns        = "external"
}
