# E0202: `datacentre` is not a project attribute (did you mean `datacenters`?).
project "demo" {
  datacentre = ["dc1"]
}

environment "production" {}
