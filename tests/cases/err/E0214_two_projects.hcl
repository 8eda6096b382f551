# E0214: a spec describes one project.
project "shop" {
  datacenters = ["dc1"]
}

project "blog" {
  datacenters = ["dc2"]
}

environment "production" {}
