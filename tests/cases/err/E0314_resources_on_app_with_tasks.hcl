# E0314: with `task` blocks, `resources` belongs to each task, not to the app.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

app "auth" {
  port "http" { to = 9000 }
  health "tcp" {}
  resources { cpu = 500, memory = 1GiB }
  task "server" {
    image   = "ghcr.io/goauthentik/server:2025.6.1"
    command = "server"
  }
}
