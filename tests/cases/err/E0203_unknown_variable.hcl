# E0203: `var.replica` names no declared variable (did you mean `replicas`?).
project "demo" {
  datacenters = ["dc1"]
}

variable "replicas" {
  type    = number
  default = 2
}

environment "production" {}

app "web" {
  image = "nginx:1.27-alpine"
  count = var.replica
  port "http" { to = 80 }
  health "tcp" {}
}
