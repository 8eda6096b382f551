# caddy_admin = "unix/caddy-admin.sock": not a network address Caddy accepts.

project "shop" {
  datacenters = ["dc1"]
  acme_email  = "ops@example.com"
  caddy_admin = "unix/caddy-admin.sock"
}

environment "production" {}
