# E0313: a route's label is a DNS host name; `my site.example.com` has a space.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

route "my site.example.com" {
  respond = 404
  dns     = "external"
}
