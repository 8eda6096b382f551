# ok: production promotes from staging but deploys a build of its own
# (`own_images = true`): no E0411, and its deployment skips the release check.
project "demo" {
  datacenters = ["dc1"]
}

variable "version" { type = string }

environment "staging" {
  vars        = { version = "1.4.0-rc1" }
  region      = "staging"
  host_suffix = "-staging"
}

environment "production" {
  vars         = { version = "1.3.9" }
  promote_from = environment.staging
  own_images   = true
}

app "worker" {
  image = "registry.example.com/worker:${var.version}"
  type  = "batch"
}
