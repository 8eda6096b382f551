# W0507: the route's host has no record in the spec's dns zone.
import "std/security"

project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

upstream "site" {
  targets = ["10.0.0.5:8080"]
}

route "shop.example.com" {
  to         = upstream.site
  middleware = [middleware.security]
}

dns "example.com" {
  record "@"   { type = "A", value = "192.0.2.1" }
  record "www" { type = "A", value = "192.0.2.1" }
}
