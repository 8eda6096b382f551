# upstream target "999.1.1.1:80".

project "shop" {
  datacenters = ["dc1"]
  acme_email  = "ops@example.com"
}

environment "production" {}

upstream "legacy" {
  targets = ["999.1.1.1:80"]
}
