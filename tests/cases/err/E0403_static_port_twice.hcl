# E0403: two apps bind static port 8080 on the same node class.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

server "edge" {
  type     = "cx22"
  location = "nbg1"
  image    = "ubuntu-24.04"
}

app "api" {
  image   = "example/api:1.0.0"
  runs_on = server.edge
  port "http" { to = 8080, static = 8080 }
  health "tcp" {}
}

app "admin" {
  image   = "example/admin:1.0.0"
  runs_on = server.edge
  port "http" { to = 80, static = 8080 }
  health "tcp" {}
}
