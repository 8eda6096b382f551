# E0312: an HTTP health check path starts with `/`.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

app "web" {
  image = "nginx:1.27-alpine"
  port "http" { to = 80 }
  health "http" { path = "health" }
}
