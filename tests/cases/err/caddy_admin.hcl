# --- W0506_caddy_admin_public
# Warning: W0506 4:17
# W0506: the Caddy admin API bound to every interface can rewrite the proxy without authentication.
project "demo" {
  datacenters = ["dc1"]
  caddy_admin = "0.0.0.0:2019"
}

environment "production" {}

# --- W0506_caddy_admin_all_interfaces
# Warning: W0506 4:17
# W0506: a port without a host is every interface, IPv4 and IPv6.
project "demo" {
  datacenters = ["dc1"]
  caddy_admin = ":2019"
}

environment "production" {}

# --- W0506_caddy_admin_ipv6_any
# Warning: W0506 4:17
# W0506: `[::]` is the IPv6 wildcard address: every interface.
project "demo" {
  datacenters = ["dc1"]
  caddy_admin = "[::]:2019"
}

environment "production" {}
