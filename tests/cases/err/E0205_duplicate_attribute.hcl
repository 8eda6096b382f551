# E0205: `count` is set twice in one app.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

app "web" {
  image = "nginx:1.27-alpine"
  count = 2
  count = 3
  port "http" { to = 80 }
  health "tcp" {}
}
