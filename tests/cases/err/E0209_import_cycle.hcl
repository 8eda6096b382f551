# E0209: imports/cycle_a.hcl imports imports/cycle_b.hcl, which imports cycle_a.hcl again.
import "./imports/cycle_a.hcl"

project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}
