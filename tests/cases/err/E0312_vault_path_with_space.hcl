# E0312: a Vault KV path cannot contain spaces.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

secret "db_password" {
  vault = "secret/demo/db password"
}
