# E0301: `datacenters` is a list of strings; a single string must be wrapped in `[...]`.
project "demo" {
  datacenters = "dc1"
}

environment "production" {}
