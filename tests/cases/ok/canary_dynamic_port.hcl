# A canary split to a dynamic port (Helen's `port "http" { to = 80 }`): Caddy
# dials the stable and canary instances by their Consul SRV records.
import "std/security"

project "shop" {
  datacenters = ["dc1"]
  registry    = "registry.example.com"
}

environment "production" {}

server "web" {
  type     = "cx22"
  location = "nbg1"
  image    = "ubuntu-24.04"
}

rollout "careful" {
  strategy = "canary"
  stage { traffic = 10% }
  stage { traffic = 100% }
}

app "storefront" {
  image   = "${project.registry}/storefront:1.0.0"
  runs_on = server.web
  rollout = rollout.careful
  port "http" { to = 8080 }
  health "http" { path = "/healthz" }
}

route "shop.example.com" {
  to         = app.storefront
  dns        = "external"
  middleware = [middleware.security]
}
