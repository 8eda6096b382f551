# E0103: a size is a whole number of units; `1.5GiB` is refused (write 1536MiB).
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

app "web" {
  image = "nginx:1.27-alpine"
  port "http" { to = 80 }
  health "tcp" {}
  resources { cpu = 100, memory = 1.5GiB }
}
