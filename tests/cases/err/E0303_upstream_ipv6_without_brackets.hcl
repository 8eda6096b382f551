# upstream target "2001:db8::5:8080".

project "shop" {
  datacenters = ["dc1"]
  acme_email  = "ops@example.com"
}

environment "production" {}

upstream "legacy" {
  targets = ["2001:db8::5:8080"]
}
