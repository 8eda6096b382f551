# E0330: Caddy before 2.8 maps a host to one access log (`logger_names` is a
# host → string map); two `log` blocks on one host need Caddy 2.8 or later.
import "std/security"

project "demo" {
  datacenters   = ["dc1"]
  caddy_version = "2.6"
}

environment "production" {}

upstream "site" {
  targets = ["10.0.0.5:8080"]
}

route "www.example.com" {
  to         = upstream.site
  middleware = [middleware.security]
  dns        = "external"
  log { file = "/var/log/caddy/www.log" }
}

route "www.example.com" {
  path       = "/api/*"
  to         = upstream.site
  middleware = [middleware.security]
  dns        = "external"
  log { file = "/var/log/caddy/www-api.log" }
}
