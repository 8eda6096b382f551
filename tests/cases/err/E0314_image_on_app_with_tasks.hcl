# E0314: with `task` blocks, `image` belongs to each task, not to the app.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

app "auth" {
  image = "ghcr.io/goauthentik/server:2025.6.1"
  port "http" { to = 9000 }
  health "tcp" {}
  task "server" {
    image   = "ghcr.io/goauthentik/server:2025.6.1"
    command = "server"
  }
}
