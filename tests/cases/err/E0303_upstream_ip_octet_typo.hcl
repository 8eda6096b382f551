# upstream target "10.0.0.256:8080".

project "shop" {
  datacenters = ["dc1"]
  acme_email  = "ops@example.com"
}

environment "production" {}

upstream "legacy" {
  targets = ["10.0.0.256:8080"]
}
