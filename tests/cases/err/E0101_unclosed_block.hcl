# E0101: a block whose `{` is never closed runs into the end of the file.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {
