# E0202: `imgae` is not an app attribute (did you mean `image`?).
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

app "web" {
  image = "nginx:1.27-alpine"
  imgae = "nginx:1.27"
  port "http" { to = 80 }
  health "tcp" {}
}
