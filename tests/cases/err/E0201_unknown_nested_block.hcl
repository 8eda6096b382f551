# E0201: `healthcheck` is not a block an app may contain (did you mean `health`?).
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

app "web" {
  image = "nginx:1.27-alpine"
  port "http" { to = 80 }
  health "tcp" {}
  healthcheck "http" { path = "/" }
}
