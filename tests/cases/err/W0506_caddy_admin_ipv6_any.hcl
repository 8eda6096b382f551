# W0506: `[::]` is the IPv6 wildcard address: every interface.
project "demo" {
  datacenters = ["dc1"]
  caddy_admin = "[::]:2019"
}

environment "production" {}
