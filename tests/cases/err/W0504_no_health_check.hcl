# W0504: a service without a health check: Nomad and Caddy cannot tell broken from healthy.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

app "web" {
  image = "nginx:1.27-alpine"
  port "http" { to = 80 }
}
