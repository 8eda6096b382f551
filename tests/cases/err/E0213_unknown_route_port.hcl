# E0213: the route names port `https` of app `web`, which only has `http`.
import "std/security"

project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

app "web" {
  image = "nginx:1.27-alpine"
  port "http" { to = 80 }
  health "tcp" {}
}

route "example.com" {
  to         = app.web.port.https
  middleware = [middleware.security]
  dns        = "external"
}
