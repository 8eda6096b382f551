# E0208: the imported file does not exist.
import "./imports/does_not_exist.hcl"

project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}
