# --- E0220_default_refers_to_later_variable
# Error: E0220 7:16
# E0220: `image` is declared after `image_ref`, so its value does not exist yet when `image_ref`'s default is evaluated.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
variable "image_ref" {
  default = "${var.image}:1.0"
}
variable "image" {
  default = "ghcr.io/example/web"
}

# --- E0220_default_refers_to_itself
# Error: E0220 7:13
# E0220: a default cannot refer to its own variable.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
variable "replicas" {
  default = var.replicas
}
