# W0507: the spec has no dns zone at all, and the route does not say `dns = "external"`.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

route "example.com" {
  respond = 404
}
