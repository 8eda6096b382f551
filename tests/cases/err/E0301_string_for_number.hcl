# E0301: `count` is a number; `"two"` is a string.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

app "web" {
  image = "nginx:1.27-alpine"
  count = "two"
  port "http" { to = 80 }
  health "tcp" {}
}
