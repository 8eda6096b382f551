# E0301: `count` counts whole instances; 1.5 is not a whole number.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

app "web" {
  image = "nginx:1.27-alpine"
  count = 1.5
  port "http" { to = 80 }
  health "tcp" {}
}
