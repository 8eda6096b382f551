# E0104: a block label must be a plain string; it cannot be interpolated.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

variable "name" {
  type    = string
  default = "web"
}

app "${var.name}" {
  image = "nginx:1.27-alpine"
  port "http" { to = 80 }
  health "tcp" {}
}
