# W0510: an auth block that no route uses: nothing is emitted for it.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

app "web" {
  image = "nginx:1.27"
  port "http" { to = 80 }
  health "http" { path = "/" }
}

auth "staff" {
  provider = "authentik"
  outpost  = app.web.port.http
  groups   = ["staff"]
}

route "example.com" {
  to         = app.web.port.http
  middleware = [middleware.security]
  dns        = "external"
}

import "std/security"
