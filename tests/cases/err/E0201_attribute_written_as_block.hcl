# E0201: `env` is an attribute of an app, not a block; the help says to write `env = { … }`.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

app "web" {
  image = "nginx:1.27-alpine"
  port "http" { to = 80 }
  health "tcp" {}
  env { LOG_LEVEL = "info" }
}
