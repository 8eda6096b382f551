# E0401: project attributes that interpolate each other never reach a value.
project "demo" {
  datacenters = ["dc1"]
  registry    = "${project.vault}/registry"
  vault       = "${project.registry}/vault"
}

environment "production" {}
