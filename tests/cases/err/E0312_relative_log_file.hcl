# E0312: a route's log file must be an absolute path.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

route "example.com" {
  respond = 404
  dns     = "external"
  log { file = "logs/example.log" }
}
