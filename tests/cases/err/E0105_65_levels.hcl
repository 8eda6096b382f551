# E0105: a block and 64 lists make 65 levels, one more than the limit (64 are accepted).
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
variable "x" {
  type = list
  default = [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["s"]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]
}
