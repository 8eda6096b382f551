# ok: two environments written as the seeds write them (Helen as a canary on a
# dynamic port, Authentik behind forward auth), isolated: staging's hosts and records get
# "-staging" (the apex becomes staging.example.com), its Nomad jobs run in
# its own region, and the zone both write into is `existing`, so the two
# environments share no rrset, route host, job or state path (E0409).
import "std/security"

project "site" {
  datacenters = ["dc1"]
  registry    = "registry.example.com"
  acme_email  = "ops@example.com"
}

variable "version" { type = string }

environment "staging" {
  vars        = { version = "2026.11.22" }
  host_suffix = "-staging"
  region      = "staging"
}

environment "production" {
  vars         = { version = "2026.11.22" }
  approval     = true
  promote_from = environment.staging
}

server "app" {
  type     = "cx22"
  location = "nbg1"
  image    = "ubuntu-24.04"
  labels   = { role = "hecate-proxy", environment = env.name }
}

rollout "canary" {
  strategy         = "canary"
  max_parallel     = 1
  min_healthy_time = 30s
  healthy_deadline = 2m
  auto_revert      = true
  stage { traffic = 5%, bake = 30m }
  stage { traffic = 100% }
}

app "helen" {
  image   = "${project.registry}/helen:${var.version}"
  service = "helen-web"
  count   = 2
  runs_on = server.app
  rollout = rollout.canary
  port "http" { to = 80 } # dynamic, as seed 000 has it: the canary is found through Consul SRV
  health "http" { path = "/health", interval = 30s, timeout = 5s }
}

upstream "idp" { targets = ["10.0.0.9:9000"] }
upstream "grafana" { targets = ["10.0.0.9:3000"] }

auth "staff" {
  provider = "authentik"
  outpost  = upstream.idp
  groups   = ["staff"]
}

route "example.com" {
  to         = app.helen
  middleware = [middleware.security]
}

route "observe.example.com" {
  to         = upstream.grafana
  middleware = [middleware.security]
  auth       = auth.staff
}

dns "example.com" {
  existing = true
  record "@" { type = "A", value = server.app.ipv4, ttl = 300 }
  record "@" { type = "AAAA", value = server.app.ipv6, ttl = 300 }
  record "observe" { type = "CNAME", value = "example.com." }
}
