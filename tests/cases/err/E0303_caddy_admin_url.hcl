# caddy_admin = "http://localhost:2019": not a network address Caddy accepts.

project "shop" {
  datacenters = ["dc1"]
  acme_email  = "ops@example.com"
  caddy_admin = "http://localhost:2019"
}

environment "production" {}
