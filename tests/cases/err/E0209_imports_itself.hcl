# E0209: a file that imports itself is the shortest import cycle.
import "./E0209_imports_itself.hcl"

project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}
