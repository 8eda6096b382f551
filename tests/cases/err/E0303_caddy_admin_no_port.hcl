# caddy_admin = "localhost": not a network address Caddy accepts.

project "shop" {
  datacenters = ["dc1"]
  acme_email  = "ops@example.com"
  caddy_admin = "localhost"
}

environment "production" {}
