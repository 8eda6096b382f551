# E0306: an app's `type` is "service", "batch" or "system".
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

app "web" {
  image = "nginx:1.27-alpine"
  type  = "daemon"
  port "http" { to = 80 }
  health "tcp" {}
}
