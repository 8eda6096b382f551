# E0313: a record name is `@` or a name relative to the zone; `mail server` is neither.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

dns "example.com" {
  record "mail server" { type = "A", value = "192.0.2.10" }
}
