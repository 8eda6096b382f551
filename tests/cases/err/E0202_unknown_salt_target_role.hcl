# E0202: `salt_targets` only knows the roles controller, proxy and apps.
project "demo" {
  datacenters  = ["dc1"]
  salt_targets = { database = "roles:db" }
}

environment "production" {}
