# E0312: a volume's mount path inside the container must be absolute.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

app "web" {
  image = "nginx:1.27-alpine"
  port "http" { to = 80 }
  health "tcp" {}
  volume "data" { host = "web-data", path = "data" }
}
