# E0402: two routes serve the same host with no path to tell them apart.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

route "example.com" {
  respond = 404
  dns     = "external"
}

route "example.com" {
  redirect = "https://www.example.com{uri}"
  dns      = "external"
}
