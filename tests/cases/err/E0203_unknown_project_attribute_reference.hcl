# E0203: `project.registry` is used in an image, but the project sets no `registry`.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

app "web" {
  image = "${project.registry}/web:1.0.0"
  port "http" { to = 80 }
  health "tcp" {}
}
