# E0402: two routes serve the same host and path.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

route "example.com" {
  path    = "/api/*"
  respond = 404
  dns     = "external"
}

route "example.com" {
  path    = "/api/*"
  respond = 410
  dns     = "external"
}

route "example.com" {
  respond = 200
  dns     = "external"
}
