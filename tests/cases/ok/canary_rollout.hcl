# ok: a canary rollout with rising stages ending at 100%, driving an app with an HTTP health check.
import "std/security"

project "shop" {
  datacenters = ["dc1"]
  region      = "global"
  registry    = "registry.example.com"
  acme_email  = "ops@example.com"
}

variable "version" { type = string }

# Staging's own names and Nomad region: the two environments share no
# rrset, host or job (E0409). It deploys the version production promotes
# (the same image in both, E0411).
environment "staging" {
  vars        = { version = "2026.1.0" }
  host_suffix = "-staging"
  region      = "staging"
}

environment "production" {
  vars         = { version = "2026.1.0" }
  approval     = true
  promote_from = environment.staging
  canary_stage = 2
}

server "web" {
  type     = "cx22"
  location = "nbg1"
  image    = "ubuntu-24.04"
  count    = 2
}

rollout "careful" {
  strategy         = "canary"
  max_parallel     = 1
  min_healthy_time = 30s
  healthy_deadline = 5m
  auto_revert      = true
  stage { traffic = 5%,  bake = 30m }
  stage { traffic = 25%, bake = 2h }
  stage { traffic = 100% }
}

app "storefront" {
  image   = "${project.registry}/storefront:${var.version}"
  count   = 2
  runs_on = server.web
  rollout = rollout.careful

  port "http" { to = 8080, static = 8080 }
  resources { cpu = 500, memory = 256MiB, memory_max = 512MiB }
  health "http" { path = "/healthz", interval = 15s, timeout = 3s }
  env = { ENVIRONMENT = env.name }
}

route "shop.example.com" {
  to         = app.storefront
  middleware = [middleware.security]
}

# Created once, outside eosc; each environment writes only its own records.
dns "example.com" {
  existing = true
  record "@"    { type = "A",     value = server.web.ipv4, ttl = 300 }
  record "@"    { type = "AAAA",  value = server.web.ipv6, ttl = 300 }
  record "shop" { type = "CNAME", value = "example.com." }
}
