# E0303: the ACME contact must be an email address.
project "demo" {
  datacenters = ["dc1"]
  acme_email  = "ops.example.com"
}

environment "production" {}
