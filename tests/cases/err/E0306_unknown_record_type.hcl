# E0306: `PTR` is not a record type eosc manages.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

dns "example.com" {
  record "www" { type = "PTR", value = "example.com." }
}
