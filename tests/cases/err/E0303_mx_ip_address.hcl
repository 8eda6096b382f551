# A MX record with value "10 192.0.2.25.".

project "shop" {
  datacenters = ["dc1"]
  acme_email  = "ops@example.com"
}

environment "production" {}

dns "example.com" {
  record "x" {
    type  = "MX"
    value = "10 192.0.2.25."
  }
}
