# E0316: stock Caddy has no rate_limit handler; the project must declare the plugin.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

middleware "limited" {
  rate_limit = { events = 100, window = 1m }
}
