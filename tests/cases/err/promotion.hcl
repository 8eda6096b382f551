# --- E0411_promoted_other_image
# Error: E0411 15:11
# E0411: production promotes from staging but pins another version.
project "demo" {
  datacenters = ["dc1"]
}
variable "version" { type = string }
environment "staging" {
  vars   = { version = "1.4.0" }
  region = "staging"
}
environment "production" {
  vars         = { version = "1.3.9" }
  promote_from = environment.staging
}
app "worker" {
  image = "registry.example.com/worker:${var.version}"
  type  = "batch"
}
