# E0311: a duration is not a string, a number or a bool, so it cannot be interpolated.
project "demo" {
  datacenters = ["dc1"]
}

variable "timeout" {
  type    = duration
  default = 30s
}

environment "production" {}

app "web" {
  image = "nginx:1.27-alpine"
  args  = ["--timeout=${var.timeout}"]
  port "http" { to = 80 }
  health "tcp" {}
}
