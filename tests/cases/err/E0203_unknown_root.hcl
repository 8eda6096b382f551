# E0203: a bare word is read as a reference; `global` is not defined (strings need quotes).
project "demo" {
  datacenters = ["dc1"]
  region      = global
}

environment "production" {}
