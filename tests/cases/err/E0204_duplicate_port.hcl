# E0204: an app declares the port `http` twice.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

app "web" {
  image = "nginx:1.27-alpine"
  port "http" { to = 80 }
  port "http" { to = 8080 }
  health "tcp" { port = "http" }
}
