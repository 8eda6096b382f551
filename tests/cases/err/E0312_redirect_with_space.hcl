# E0312: a redirect target is a URL and cannot contain spaces.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

route "old.example.com" {
  redirect = "https://example.com/new page"
  dns      = "external"
}
