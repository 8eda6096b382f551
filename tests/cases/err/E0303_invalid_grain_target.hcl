# E0303: a salt target is a grain match `grain:value`.
project "demo" {
  datacenters  = ["dc1"]
  salt_targets = { proxy = "hecate-proxy" }
}

environment "production" {}
