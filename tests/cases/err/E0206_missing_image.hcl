# E0206: an app without tasks must say which `image` it runs.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

app "web" {
  port "http" { to = 80 }
  health "tcp" {}
}
