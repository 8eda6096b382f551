# E0303: an MX record's value is `PRIORITY HOST`; the priority is missing.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

dns "example.com" {
  record "@" { type = "MX", value = "mail.example.com." }
}
