# E0317: names start with a letter; `1web` becomes a Terraform resource and a file name.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

app "1web" {
  image = "nginx:1.27-alpine"
  port "http" { to = 80 }
  health "tcp" {}
}
