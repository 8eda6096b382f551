# A NS record with value "195.201.10.10.".

project "shop" {
  datacenters = ["dc1"]
  acme_email  = "ops@example.com"
}

environment "production" {}

dns "example.com" {
  record "x" {
    type  = "NS"
    value = "195.201.10.10."
  }
}
