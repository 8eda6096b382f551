# E0315: a route proxies to a port, but the batch app declares none.
import "std/security"

project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

app "job" {
  image = "busybox:1.36"
  type  = "batch"
}

route "example.com" {
  to         = app.job
  middleware = [middleware.security]
  dns        = "external"
}
