# E0312: HTTP strips blanks around a header value, so this one could never be sent as written.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

middleware "headers" {
  headers = { "X-Robots-Tag" = " noindex" }
}
