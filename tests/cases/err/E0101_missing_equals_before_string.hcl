# E0101: `image "nginx:1"` lacks its `=`; reported after the name, not on the next line.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
app "web" {
  image "nginx:1.27"
  memory = 256MiB
}
