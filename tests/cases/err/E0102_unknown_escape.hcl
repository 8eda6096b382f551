# E0102: `\d` is not a string escape (a regexp backslash must be doubled).
import "std/security"

project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

middleware "strict" {
  block "digits" {
    path_regexp = "^/[0-9]+\d$"
  }
}
