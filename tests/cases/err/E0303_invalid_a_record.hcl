# E0303: an A record holds an IPv4 address; `192.0.2.300` is not one.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

dns "example.com" {
  record "www" { type = "A", value = "192.0.2.300" }
}
