# E0308: `version` has no default, and the environment does not set it.
project "demo" {
  datacenters = ["dc1"]
}

variable "version" {
  type = string
}

environment "staging" {
  vars = { version = "1.2.3" }
}

environment "production" {}
