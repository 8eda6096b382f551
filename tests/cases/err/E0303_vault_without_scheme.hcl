# The Vault address without https://.

project "shop" {
  datacenters = ["dc1"]
  acme_email  = "ops@example.com"
  vault       = "vault.example.com:8200"
}

environment "production" {}
