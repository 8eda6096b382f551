# acme_email written with its mailto: prefix.

project "shop" {
  datacenters = ["dc1"]
  acme_email  = "mailto:ops@example.com"
}

environment "production" {}
