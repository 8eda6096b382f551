# E0303: an upstream target is `host:port`; this one has no port.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

upstream "backend" {
  targets = ["10.0.0.5"]
}
