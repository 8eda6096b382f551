# E0312: a route path starts with `/`.
import "std/security"

project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

upstream "api" {
  targets = ["10.0.0.5:8080"]
}

route "example.com" {
  path       = "api/*"
  to         = upstream.api
  middleware = [middleware.security]
  dns        = "external"
}
