# E0311: an entity reference has no compile-time value and cannot be interpolated.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

server "db" {
  type     = "cx22"
  location = "nbg1"
  image    = "ubuntu-24.04"
}

app "web" {
  image = "nginx:1.27-alpine"
  env   = { DB_HOST = "${server.db.ipv4}:5432" }
  port "http" { to = 80 }
  health "tcp" {}
}
