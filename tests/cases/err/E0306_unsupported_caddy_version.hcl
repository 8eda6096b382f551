# E0306: eosc's caddy.json is tested with Caddy 2.6 (Debian stable) to 2.11.
project "demo" {
  datacenters   = ["dc1"]
  caddy_version = "2.4"
}

environment "production" {}
