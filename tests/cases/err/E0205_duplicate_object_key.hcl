# E0205: the key `LOG_LEVEL` appears twice in one object.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

app "web" {
  image = "nginx:1.27-alpine"
  env   = { LOG_LEVEL = "info", MODE = "web", LOG_LEVEL = "debug" }
  port "http" { to = 80 }
  health "tcp" {}
}
