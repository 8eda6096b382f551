# E0204: an app declares the task `server` twice.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

app "auth" {
  port "http" { to = 9000 }
  health "tcp" {}
  task "server" {
    image   = "ghcr.io/goauthentik/server:2025.6.1"
    command = "server"
  }
  task "server" {
    image   = "ghcr.io/goauthentik/server:2025.6.1"
    command = "worker"
  }
}
