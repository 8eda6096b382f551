# E0204: two apps are both named `web`.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

app "web" {
  image = "nginx:1.27-alpine"
  port "http" { to = 80 }
  health "tcp" {}
}

app "web" {
  image = "httpd:2.4"
  port "http" { to = 80 }
  health "tcp" {}
}
