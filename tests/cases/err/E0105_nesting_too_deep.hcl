# E0105: lists nested more than 64 levels deep are refused before parsing.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

variable "deep" {
  type    = list
  default = [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]
}
