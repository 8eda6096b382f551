# E0306: `integer` is not a variable type (string, number, bool, duration, size, percent, list, object).
project "demo" {
  datacenters = ["dc1"]
}

variable "replicas" {
  type    = integer
  default = 2
}

environment "production" {}
