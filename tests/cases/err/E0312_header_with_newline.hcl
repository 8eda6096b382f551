# E0312: a header value with a newline could inject a second header.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

middleware "headers" {
  headers = { "X-Frame-Options" = "DENY\nSet-Cookie: admin=1" }
}
