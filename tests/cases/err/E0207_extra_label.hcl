# E0207: `app` takes one label; `"web" "frontend"` has two.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

app "web" "frontend" {
  image = "nginx:1.27-alpine"
}
