# E0401: an app that depends on itself is a cycle of one.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

app "web" {
  image      = "nginx:1.27-alpine"
  depends_on = [app.web]
  port "http" { to = 80 }
  health "tcp" {}
}
