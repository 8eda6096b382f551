# E0401: two middlewares that `use` each other form a cycle.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

middleware "a" {
  use     = [middleware.b]
  headers = { "X-A" = "1" }
}

middleware "b" {
  use     = [middleware.a]
  headers = { "X-B" = "1" }
}
