# E0332: the proxy job runs Caddy; with plugins it cannot be the stock image,
# so the spec must name the image of its own Caddy build.
project "demo" {
  datacenters   = ["dc1"]
  caddy_plugins = ["rate_limit"]
}

environment "production" {}
