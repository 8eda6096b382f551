# E0318: a route needs one of `to`, `redirect` or `respond`.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

route "example.com" {
  dns = "external"
}
