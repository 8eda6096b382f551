# E0305: memory_max is a ceiling; it cannot be below the memory reservation.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

app "web" {
  image = "nginx:1.27-alpine"
  port "http" { to = 80 }
  health "tcp" {}
  resources { cpu = 100, memory = 512MiB, memory_max = 256MiB }
}
