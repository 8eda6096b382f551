# E0313: a dns zone is a domain with at least two labels; `localhost` is not one.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

dns "localhost" {
  record "@" { type = "A", value = "127.0.0.1" }
}
