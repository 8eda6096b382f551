# E0204: names are shared by every imported file; imports/shared_secrets.hcl already defines `db_password`.
import "./imports/shared_secrets.hcl"

project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

secret "db_password" {
  vault = "secret/demo/db_password"
}
