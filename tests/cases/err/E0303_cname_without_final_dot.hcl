# E0303: a CNAME, NS or MX target without its final dot is relative to the zone.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

dns "example.com" {
  record "@"    { type = "A", value = "192.0.2.10" }
  record "www"  { type = "CNAME", value = "example.com" }
  record "@"    { type = "MX", value = "10 mail.example.com" }
  record "mail" { type = "A", value = "192.0.2.25" }
}
