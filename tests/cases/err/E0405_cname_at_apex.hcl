# E0405: the zone apex carries SOA and NS records, so it cannot be a CNAME.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

dns "example.com" {
  record "@" { type = "CNAME", value = "example.net." }
}
