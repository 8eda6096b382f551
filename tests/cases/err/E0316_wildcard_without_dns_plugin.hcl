# E0316: wildcard certificates come only through the ACME DNS-01 challenge,
# which stock Caddy cannot answer without a DNS provider plugin.
import "std/security"

project "demo" {
  datacenters = ["dc1"]
  acme_email  = "ops@example.com"
}

environment "production" {}

upstream "previews" {
  targets = ["10.0.0.5:8080"]
}

route "*.preview.example.com" {
  to         = upstream.previews
  middleware = [middleware.security]
  dns        = "external"
}
