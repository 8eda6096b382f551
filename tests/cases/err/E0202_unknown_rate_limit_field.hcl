# E0202: `rate_limit` takes `events` and `window`; `burst` is not a field.
project "demo" {
  datacenters   = ["dc1"]
  caddy_plugins = ["rate_limit"]
  caddy_image   = "registry.example.com/caddy:2.11-ratelimit"
}

environment "production" {}

middleware "limited" {
  rate_limit = { events = 100, window = 1m, burst = 10 }
}
