# E0101: `count 3` lacks its `=`.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
app "web" {
  image = "nginx:1.27"
  count 3
}
