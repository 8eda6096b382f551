# A TXT record with value "\"v=spf1 -all\"".

project "shop" {
  datacenters = ["dc1"]
  acme_email  = "ops@example.com"
}

environment "production" {}

dns "example.com" {
  record "x" {
    type  = "TXT"
    value = "\"v=spf1 -all\""
  }
}
