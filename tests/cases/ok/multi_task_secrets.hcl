# ok: an app with two tasks sharing a port and health check, each with its own resources and Vault secrets
# (the server logs in with its own Vault role; the worker keeps running when a secret changes).
import "std/security"

project "idp" {
  datacenters = ["dc1"]
  vault       = "https://vault.example.com"
}

variable "authentik_version" {
  type    = string
  default = "2025.6.1"
}

environment "production" {}

secret "authentik_secret_key" {
  vault = "secret/idp/authentik/secret_key"
}

secret "authentik_db_password" {
  vault = "secret/idp/authentik/db"
  key   = "password"
}

app "postgres" {
  image = "postgres:16.4-alpine"
  port "db" { to = 5432 }
  resources { cpu = 500, memory = 1GiB }
  health "script" { command = "pg_isready", args = ["-U", "authentik"] }
  env     = { POSTGRES_USER = "authentik", POSTGRES_DB = "authentik" }
  secrets = { POSTGRES_PASSWORD = secret.authentik_db_password }
  volume "data" { host = "authentik-db", path = "/var/lib/postgresql/data" }
}

app "authentik" {
  depends_on = [app.postgres]

  port "http"    { to = 9000 }
  port "metrics" { to = 9300 }
  health "http" { port = "http", path = "/-/health/live/", interval = 30s, timeout = 10s }

  task "server" {
    image   = "ghcr.io/goauthentik/server:${var.authentik_version}"
    command = "server"
    resources { cpu = 750, memory = 1GiB }
    env = { AUTHENTIK_POSTGRESQL__HOST = "postgres.service.consul" }
    secrets = {
      AUTHENTIK_SECRET_KEY           = secret.authentik_secret_key
      AUTHENTIK_POSTGRESQL__PASSWORD = secret.authentik_db_password
    }
    vault { role = "authentik-server" }
  }

  task "worker" {
    image   = "ghcr.io/goauthentik/server:${var.authentik_version}"
    command = "worker"
    resources { cpu = 500, memory = 512MiB }
    env = { AUTHENTIK_POSTGRESQL__HOST = "postgres.service.consul" }
    secrets = {
      AUTHENTIK_SECRET_KEY           = secret.authentik_secret_key
      AUTHENTIK_POSTGRESQL__PASSWORD = secret.authentik_db_password
    }
    vault { change_mode = "noop" }
  }
}

auth "staff" {
  provider = "authentik"
  outpost  = app.authentik.port.http
  groups   = ["employees"]
}

route "auth.example.com" {
  to         = app.authentik.port.http
  middleware = [middleware.security]
  dns        = "external"
}

# The staff auth protects a site behind Authentik's embedded outpost.
upstream "wiki" {
  targets = ["10.0.0.7:8080"]
}

route "wiki.example.com" {
  to         = upstream.wiki
  auth       = auth.staff
  middleware = [middleware.security]
  dns        = "external"
}
