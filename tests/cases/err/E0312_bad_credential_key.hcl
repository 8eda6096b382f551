# E0312: a pipeline credential is bound to an environment variable, so its key must be a valid name.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

pipeline "deploy" {
  credentials = { "SALT-API" = "salt-api-credentials" }
}
