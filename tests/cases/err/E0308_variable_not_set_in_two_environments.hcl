# E0308: `version` has no default; neither environment sets it, and both are named.
project "demo" {
  datacenters = ["dc1"]
}

variable "version" {
  type = string
}

environment "staging" {}

environment "production" {}

app "web" {
  image = "example/web:${var.version}"
  port "http" { to = 80 }
  health "tcp" {}
}
