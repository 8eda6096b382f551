# E0315: the app has two ports, so a route to it must name one (`app.web.port.http`).
import "std/security"

project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

app "web" {
  image = "nginx:1.27-alpine"
  port "http" { to = 80 }
  port "metrics" { to = 9100 }
  health "tcp" { port = "http" }
}

route "example.com" {
  to         = app.web
  middleware = [middleware.security]
  dns        = "external"
}
