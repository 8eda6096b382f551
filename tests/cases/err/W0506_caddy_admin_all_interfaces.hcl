# W0506: a port without a host is every interface, IPv4 and IPv6.
project "demo" {
  datacenters = ["dc1"]
  caddy_admin = ":2019"
}

environment "production" {}
