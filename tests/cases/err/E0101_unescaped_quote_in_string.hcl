# E0101: a quote inside a string ends it; the rest of the command is read as code.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
app "web" {
  image = "alpine:3.20"
  command = "sh -c "echo started; sleep infinity""
}
