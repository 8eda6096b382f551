# E0206: a blocking rule with no condition would match nothing.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

middleware "guard" {
  block "nothing" {
    respond = 404
  }
}
