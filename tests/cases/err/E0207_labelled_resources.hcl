# E0207: `resources` takes no label.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

app "web" {
  image = "nginx:1.27-alpine"
  port "http" { to = 80 }
  health "tcp" {}
  resources "small" { cpu = 100, memory = 128MiB }
}
