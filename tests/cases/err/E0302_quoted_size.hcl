# E0302: sizes are literals: write 256MiB, not "256MiB".
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

app "web" {
  image = "nginx:1.27-alpine"
  port "http" { to = 80 }
  health "tcp" {}
  resources { cpu = 100, memory = "256MiB" }
}
