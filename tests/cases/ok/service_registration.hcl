# ok: the user's Consul tags and service meta, and checks with a method, request headers, https without verification and their own restart policy; on a canary app the user's tags ride beside eosc's stable/canary.
import "std/security"

project "ident" {
  datacenters = ["dc1"]
  region      = "global"
  registry    = "registry.example.com"
  acme_email  = "ops@example.com"
}

environment "production" {}

server "app" {
  type     = "cx22"
  location = "nbg1"
  image    = "ubuntu-24.04"
}

rollout "careful" {
  strategy = "canary"
  stage { traffic = 10% }
  stage { traffic = 100% }
}

# The seed's Authentik service (004:1355-1370): tags, meta, and an http
# check that asks for JSON.
app "authentik" {
  image   = "ghcr.io/goauthentik/server:2025.6.1"
  runs_on = server.app
  rollout = rollout.careful
  port "http" { to = 9000 }
  tags = ["authentik", "identity-provider", "hecate-route"]
  meta = { domain = "hera.example.com", metrics_path = "/metrics" }
  health "http" {
    path     = "/api/v3/root/config/"
    method   = "GET"
    header   = { Accept = "application/json", X-Probe = "nomad" }
    interval = 15s
    timeout  = 5s
    check_restart {
      limit = 5
      grace = 2m
    }
  }
}

# A HEAD check that never restarts its task, and a tcp check on a second
# port with a tolerant restart policy.
app "cache" {
  image   = "redis:7.4.1-alpine"
  runs_on = server.app
  port "http" { to = 8080 }
  port "redis" { to = 6379 }
  tags = ["cache"]
  health "http" {
    port   = "http"
    path   = "/ready"
    method = "HEAD"
    check_restart { limit = 0 }
  }
  health "tcp" {
    port = "redis"
    check_restart {
      limit           = 2
      grace           = 30s
      ignore_warnings = true
    }
  }
}

# A dashboard that serves TLS with its own self-signed certificate (the
# seed's Wazuh dashboard, 004:129-134): Consul checks it over https without
# verifying.
app "dashboard" {
  image   = "wazuh/wazuh-dashboard:4.9.2"
  runs_on = server.app
  port "https" { to = 5601 }
  health "http" {
    path            = "/app/login"
    protocol        = "https"
    tls_skip_verify = true
  }
}

route "id.example.com" {
  to         = app.authentik
  middleware = [middleware.security]
}

dns "example.com" {
  record "id" {
    type  = "A"
    value = "192.0.2.10"
  }
}
