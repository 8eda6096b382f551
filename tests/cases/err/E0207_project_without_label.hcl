# E0207: `project` takes exactly one label, its name.
project {
  datacenters = ["dc1"]
}

project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}
