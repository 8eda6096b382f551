# E0306: a misspelt plugin name would silently leave the plugin undeclared.
import "std/security"

project "demo" {
  datacenters = ["dc1"]
  acme_email  = "ops@example.com"
  caddy_plugins = ["dns_hetzer"]
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
