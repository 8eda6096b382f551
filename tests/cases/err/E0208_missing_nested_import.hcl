# E0208: a missing file imported by an imported file is reported in that file, relative to it.
import "./imports/imports_missing.hcl"

project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}
