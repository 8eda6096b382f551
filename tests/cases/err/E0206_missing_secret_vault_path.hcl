# E0206: a secret must say where it lives in Vault (`vault = "secret/..."`).
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

secret "db_password" {
  key = "password"
}
