# E0204: zone names are case-insensitive; these two blocks are one zone.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

dns "example.com" {
  record "@" { type = "A", value = "192.0.2.10" }
}

dns "Example.COM" {
  record "www" { type = "A", value = "192.0.2.11" }
}
