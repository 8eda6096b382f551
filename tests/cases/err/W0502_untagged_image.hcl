# W0502: an image without a tag means `latest`; a registry port is not a tag.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

app "web" {
  image = "registry.example.com:5000/team/web"
  port "http" { to = 80 }
  health "tcp" {}
}
