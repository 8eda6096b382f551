# E0202: `resources` is a block, not an attribute; the help says to write `resources { … }`.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

app "web" {
  image     = "nginx:1.27-alpine"
  resources = { cpu = 100 }
  port "http" { to = 80 }
  health "tcp" {}
}
