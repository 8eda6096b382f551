# W0502: the `latest` tag moves, so a redeploy may run an untested image.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

app "web" {
  image = "nginx:latest"
  port "http" { to = 80 }
  health "tcp" {}
}
