# ok: an upstream with TLS and a health check, path routes on one host, a redirect route and a respond route.
import "std/security"

project "corp" {
  datacenters = ["dc1"]
}

environment "production" {}

upstream "app" {
  targets = ["10.0.0.10:8443", "10.0.0.11:8443"]
  tls     = true
  health { path = "/status", interval = 10s, timeout = 2s }
}

upstream "api" {
  targets = ["api.internal:8080"]
}

middleware "common" {
  use     = [middleware.security]
  encode  = ["gzip", "zstd"]
  headers = {
    "X-Frame-Options"           = "SAMEORIGIN"
    "Strict-Transport-Security" = "max-age=31536000; includeSubDomains"
  }
}

route "www.example.com" {
  to         = upstream.app
  middleware = [middleware.common]
  log { file = "/var/log/caddy/www.log", level = "INFO" }
}

route "www.example.com" {
  path       = "/api/*"
  to         = upstream.api
  middleware = [middleware.common]
}

route "www.example.com" {
  path    = "/.well-known/security.txt"
  respond = 200
  body    = "Contact: mailto:security@example.com"
}

route "example.com" {
  redirect = "https://www.example.com{uri}"
  status   = 301
}

route "old.example.com" {
  respond = 410
}

dns "example.com" {
  record "@"   { type = "A",     value = "192.0.2.10" }
  record "www" { type = "CNAME", value = "example.com." }
  record "old" { type = "CNAME", value = "example.com." }
  # A bare wildcard: every other single-label name (preview.example.com, …).
  record "*"   { type = "CNAME", value = "example.com." }
}
