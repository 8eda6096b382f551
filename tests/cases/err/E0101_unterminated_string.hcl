# E0101: a quoted string cannot span lines; this one is never closed.
project "demo" {
  datacenters = ["dc1"]
  region      = "global
}

environment "production" {}
