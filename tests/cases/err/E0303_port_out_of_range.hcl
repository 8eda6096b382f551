# E0303: a port is in 1..=65535; 70000 is out of range.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

app "web" {
  image = "nginx:1.27-alpine"
  port "http" { to = 70000 }
  health "tcp" {}
}
