# E0318: a route either proxies (`to`), redirects or responds, never two of these.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

upstream "site" {
  targets = ["10.0.0.5:8080"]
}

route "example.com" {
  to       = upstream.site
  redirect = "https://www.example.com{uri}"
  dns      = "external"
}
