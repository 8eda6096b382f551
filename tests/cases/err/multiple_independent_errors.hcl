# Several unrelated mistakes in one spec: every one of them must be reported, not just the first.
import "std/security"

project "demo" {
  datacenters = ["dc1"]
  acme_email  = "ops.example.com"
}

environment "production" {}

app "web" {
  image  = "nginx:1.27-alpine"
  count  = "two"
  port "http" { to = 80 }
  health "http" { path = "/health", interval = "30s" }
}

app "worker" {
  imgae = "example/worker:1.0.0"
  port "http" { to = 8081 }
  health "tcp" {}
}

rollout "canary" {
  strategy = "canary"
  stage { traffic = 50% }
  stage { traffic = 20% }
}

route "example.com" {
  to         = app.wbe
  middleware = [middleware.security]
  dns        = "external"
}

dns "example.com" {
  record "@" { type = "CNAME", value = "example.net." }
}
