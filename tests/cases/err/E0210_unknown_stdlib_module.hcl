# E0210: there is no `std/securty` module (did you mean `std/security`?).
import "std/securty"

project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}
