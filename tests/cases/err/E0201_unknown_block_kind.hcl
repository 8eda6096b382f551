# E0201: `aplication` is not a top-level block kind (did you mean `app`?).
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

aplication "web" {
  image = "nginx:1.27-alpine"
}
