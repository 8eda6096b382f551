# hecate.hcl: one spec for the whole deployment. `eosc compile` turns it into
# Terraform (servers, firewalls, DNS), Nomad jobs, a Caddy config, zone files,
# Salt states and a Jenkinsfile, one tree per environment under out/<env>/.
#
#   eosc check                  # diagnostics; `eosc explain CODE` says more
#   eosc compile -o out         # write out/staging/, out/production/, out/jenkins/
#   eosc graph | dot -Tsvg > graph.svg
#
# Rename what you like; every name is letters, digits, `_` and `-`.

# Standard library: middleware "security" (blocks scanners and bots) and the
# rollouts "rolling", "canary" and "blue_green".
import "std/security"

project "example" {
  datacenters = ["dc1"]
  region      = "global"
  acme_email  = "ops@example.com" # Let's Encrypt account for Caddy
}

# A value that differs per environment. Reference it as var.replicas.
variable "replicas" {
  type    = number
  default = 1
}

# Staging is isolated from production: its hosts and records get "-staging"
# (www.example.com -> www-staging.example.com, the apex -> staging.example.com)
# and its Nomad jobs their own region. Two environments that would own one
# DNS record, host or job are an error (E0409).
environment "staging" {
  host_suffix = "-staging"
  region      = "staging"
}

environment "production" {
  vars         = { replicas = 2 }
  approval     = true # a manual gate in the Jenkins pipeline
  promote_from = environment.staging
}

# Secrets are Vault KV v2 paths, never values.
secret "app_token" {
  vault = "secret/example/app_token"
}

server "web" {
  type     = "cx22"
  location = "nbg1"
  image    = "ubuntu-24.04"
  firewall = [firewall.web]
}

firewall "web" {
  rule "ssh" { protocol = "tcp", port = 22, from = ["10.0.0.0/8"] }
  rule "https" { protocol = "tcp", port = 443, from = ["0.0.0.0/0", "::/0"] }
}

rollout "rolling" {
  strategy         = "rolling"
  max_parallel     = 1
  min_healthy_time = 30s
  healthy_deadline = 5m
  auto_revert      = true
}

app "site" {
  image   = "nginx:1.27-alpine" # pin a tag: `latest` is a warning
  count   = var.replicas
  runs_on = server.web
  rollout = rollout.rolling

  port "http" { to = 80 }
  resources { cpu = 100, memory = 64MiB }
  health "http" { path = "/", interval = 30s, timeout = 5s }

  env     = { ENVIRONMENT = env.name }
  secrets = { APP_TOKEN = secret.app_token }
}

middleware "common" {
  use    = [middleware.security]
  encode = ["gzip"]
}

route "example.com" {
  to         = app.site
  middleware = [middleware.common]
}

# existing = true: the zone is created once at Hetzner, outside eosc; each
# environment writes only its own records into it.
dns "example.com" {
  existing = true
  record "@" { type = "A", value = server.web.ipv4, ttl = 300 }
  record "www" { type = "CNAME", value = "example.com." }
}

pipeline "deploy" {
  agent        = "any"
  branch       = "main"
  environments = [environment.staging, environment.production]
}
