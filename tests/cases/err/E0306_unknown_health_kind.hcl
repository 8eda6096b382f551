# E0306: a health check is "http", "tcp" or "script"; "grpc" is not supported.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

app "web" {
  image = "nginx:1.27-alpine"
  port "http" { to = 80 }
  health "grpc" {}
}
