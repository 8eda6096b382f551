# E0203: the route proxies to `app.wbe`, which does not exist (did you mean `web`?).
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
  to         = app.wbe
  middleware = [middleware.security]
  dns        = "external"
}
