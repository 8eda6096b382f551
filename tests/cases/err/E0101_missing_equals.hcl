# E0101: an attribute without `=` between its name and value is a syntax error.
project "demo" {
  datacenters ["dc1"]
}

environment "production" {}
