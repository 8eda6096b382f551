# E0308: an environment's `vars` is where variables get their values; it cannot read them.
project "demo" {
  datacenters = ["dc1"]
}

variable "version" { type = string }

variable "tag" {
  type    = string
  default = "2026.11.0"
}

environment "production" {
  vars = { version = var.tag }
}
