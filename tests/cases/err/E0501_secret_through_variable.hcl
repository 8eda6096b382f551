# E0501: a secret routed through a variable is still a literal in the spec (and lands in the Nomad job).
project "demo" {
  datacenters = ["dc1"]
}

variable "db" {
  type    = string
  default = "hunter2-but-longer"
}

environment "production" {}

app "web" {
  image = "example/web:1.0.0"
  env   = { DB_PASSWORD = var.db }
  port "http" { to = 80 }
  health "tcp" {}
}
