# promote_from written as a quoted environment name instead of a reference.

project "shop" {
  datacenters = ["dc1"]
}

environment "staging" {}

environment "production" {
  promote_from = "staging"
}
