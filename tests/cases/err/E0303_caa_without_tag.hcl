# A CAA record with value "0 letsencrypt.org".

project "shop" {
  datacenters = ["dc1"]
  acme_email  = "ops@example.com"
}

environment "production" {}

dns "example.com" {
  record "x" {
    type  = "CAA"
    value = "0 letsencrypt.org"
  }
}
