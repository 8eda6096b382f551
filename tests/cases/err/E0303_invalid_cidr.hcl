# E0303: firewall sources are CIDR blocks; `10.0.0.0` lacks its prefix length.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

firewall "internal" {
  rule "ssh" { protocol = "tcp", port = 22, from = ["10.0.0.0"] }
}
