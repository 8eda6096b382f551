# E0308: `replicas` is a number, but production gives it a string.
project "demo" {
  datacenters = ["dc1"]
}

variable "replicas" {
  type    = number
  default = 1
}

environment "staging" {}

environment "production" {
  vars = { replicas = "2" }
}
