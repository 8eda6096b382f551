# E0101: YAML's `image:` where HCL writes `image =`.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
app "web" {
  image: "nginx:1.27"
}
