# The smallest useful hecate spec: one server running the proxy and one app,
# served over HTTPS at example.com behind the standard security middleware.

import "std/security" # defines middleware "security"

project "minimal" {
  datacenters = ["dc1"]
  region      = "global"
  acme_email  = "ops@example.com"
}

environment "production" {}

server "web" {
  type     = "cx22"
  location = "nbg1"
  image    = "ubuntu-24.04"
}

app "site" {
  image   = "nginx:1.27-alpine"
  runs_on = server.web

  port "http" { to = 80 }
  resources { cpu = 100, memory = 64MiB }
  health "http" { path = "/", interval = 30s, timeout = 5s }
}

middleware "common" {
  use = [middleware.security]
}

route "example.com" {
  to         = app.site
  middleware = [middleware.common]
}

dns "example.com" {
  record "@" { type = "A", value = server.web.ipv4, ttl = 300 }
}
