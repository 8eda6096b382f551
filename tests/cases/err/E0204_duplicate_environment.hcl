# E0204: two environments share the name `production`.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}
environment "production" {
  approval = true
}
