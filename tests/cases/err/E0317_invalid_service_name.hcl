# E0317: a Consul service name is a DNS label; dots are not allowed.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

app "web" {
  image   = "nginx:1.27-alpine"
  service = "web.frontend"
  port "http" { to = 80 }
  health "tcp" {}
}
