# E0104: an import path is read before anything is evaluated, so it cannot be interpolated.
import "std/${env.name}"

project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}
