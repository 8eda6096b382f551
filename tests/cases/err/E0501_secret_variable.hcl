# E0501: every variable is written into the Salt pillar, so a variable named like a secret must not hold one.
project "demo" {
  datacenters = ["dc1"]
}

variable "smtp_password" {
  type = string
}

environment "production" {
  vars = { smtp_password = "correct horse battery staple" }
}
