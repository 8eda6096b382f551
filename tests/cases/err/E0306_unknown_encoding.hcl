# E0306: Caddy's stock encoders are gzip and zstd; `brotli` is not one.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

middleware "compress" {
  encode = ["gzip", "brotli"]
}
