# E0501: the same rule applies inside a task: `AUTHENTIK_SECRET_KEY` must come from Vault.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

app "auth" {
  port "http" { to = 9000 }
  health "tcp" {}
  task "server" {
    image = "ghcr.io/goauthentik/server:2025.6.1"
    env   = { AUTHENTIK_SECRET_KEY = "changeme" }
  }
}
