# ok: a route's reverse-proxy options (issue #18, seed 004's Caddyfile):
# header_up/header_down, load balancing with passive and active health, a
# fallback from an app to a direct address, the global access log to a
# file, a middleware that turns on access logging, certificate storage, and
# a rate limit keyed by client address with its plugin declared.
import "std/security"

project "edge" {
  datacenters   = ["dc1"]
  caddy_plugins = ["rate_limit"]
  caddy_image   = "registry.example.com/caddy:2.11-ratelimit"
  log {
    file          = "/var/log/caddy/access.log"
    level         = "INFO"
    roll_size     = 100MiB
    roll_keep     = 5
    roll_keep_for = 720h
  }
  storage {
    root = "/data"
  }
}

environment "production" {}

server "web" {
  type     = "cx22"
  location = "nbg1"
  image    = "ubuntu-24.04"
}

app "helen" {
  image   = "registry.example.com/helen:1.0.0"
  runs_on = server.web
  port "http" { to = 8080 }
  health "http" { path = "/" }
}

upstream "helen_direct" {
  targets = ["100.65.138.128:8009"]
}

upstream "auth_a" {
  targets = ["10.0.0.21:9000", "10.0.0.22:9000"]
}

upstream "auth_b" {
  targets = ["10.0.0.23:9000"]
}

middleware "common" {
  use        = [middleware.security]
  encode     = ["gzip"]
  rate_limit = { events = 100, window = 1m, key = "{remote_host}" }
  log {
    level = "INFO"
  }
}

# The seed's Helen (004:825-840): Consul's instances, else the Tailscale address.
route "cybermonkey.dev" {
  to         = app.helen
  fallback   = [upstream.helen_direct]
  middleware = [middleware.common]
  dns        = "external"
  header_up {
    set = {
      "X-Forwarded-Source" = "hecate-cloud"
      "X-Original-Host"    = "{host}"
      "X-Real-IP"          = "{remote_host}"
    }
    delete = ["X-Debug"]
  }
  header_down {
    set    = { "X-Served-By" = "hecate" }
    delete = ["Server"]
  }
}

# The seed's Authentik (004:800-823): round robin, active and passive health.
route "hera.cybermonkey.dev" {
  to                = upstream.auth_a
  fallback          = [upstream.auth_b]
  middleware        = [middleware.common]
  dns               = "external"
  lb_policy         = "round_robin"
  lb_try_duration   = 5s
  lb_try_interval   = 250ms
  lb_retries        = 2
  fail_duration     = 10s
  max_fails         = 3
  unhealthy_status  = [502, 503]
  unhealthy_latency = 3s
  health {
    path     = "/api/v3/root/config/"
    interval = 10s
    timeout  = 5s
  }
  header_up {
    add = { "X-Client-Agent" = "{header.User-Agent}" }
  }
}

route "sticky.cybermonkey.dev" {
  to         = upstream.auth_a
  middleware = [middleware.common]
  dns        = "external"
  lb_policy  = "header"
  lb_field   = "X-Session"
  log {
    file  = "/var/log/caddy/sticky.log"
    level = "DEBUG"
  }
}
