# E0211: the environment sets `replica`, but the variable is called `replicas`.
project "demo" {
  datacenters = ["dc1"]
}

variable "replicas" {
  type    = number
  default = 1
}

environment "production" {
  vars = { replica = 2 }
}
