# E0206: a server needs a `type`, a `location` and an `image`; this one has only a type.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

server "web" {
  type = "cx22"
}
