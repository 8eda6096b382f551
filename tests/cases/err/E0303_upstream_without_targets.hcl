# E0303: an upstream with an empty target list has nothing for Caddy to dial.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

upstream "legacy" {
  targets = []
}
