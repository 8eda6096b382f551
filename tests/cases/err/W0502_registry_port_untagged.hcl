# W0502: `:5000` is the registry's port, not a tag: this image is untagged.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

app "web" {
  image = "registry.example.com:5000/team/web"
  port "http" { to = 80 }
  health "tcp" {}
}
