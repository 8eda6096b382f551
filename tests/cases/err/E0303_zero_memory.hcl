# E0303: memory must be more than zero.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

app "web" {
  image = "nginx:1.27-alpine"
  port "http" { to = 80 }
  health "tcp" {}
  resources { cpu = 100, memory = 0MiB }
}
