# E0303: an app's `count` cannot be negative.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

app "web" {
  image = "nginx:1.27-alpine"
  count = -1
  port "http" { to = 80 }
  health "tcp" {}
}
