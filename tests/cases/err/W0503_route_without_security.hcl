# W0503: a proxied route with no blocking rules in its middleware.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

middleware "headers_only" {
  headers = { "X-Frame-Options" = "DENY" }
}

upstream "site" {
  targets = ["10.0.0.5:8080"]
}

route "example.com" {
  to         = upstream.site
  middleware = [middleware.headers_only]
  dns        = "external"
}
