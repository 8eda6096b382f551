# W0506: the Caddy admin API bound to every interface can rewrite the proxy without authentication.
project "demo" {
  datacenters = ["dc1"]
  caddy_admin = "0.0.0.0:2019"
}

environment "production" {}
