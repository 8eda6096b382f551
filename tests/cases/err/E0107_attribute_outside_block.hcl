# E0107: an attribute written at the top level, outside any block.
region = "global"

project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}
