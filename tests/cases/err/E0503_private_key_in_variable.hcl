# E0503: a private key in a variable would be written into the Salt pillar.
project "demo" {
  datacenters = ["dc1"]
}

variable "tls" {
  type    = string
  default = <<EOT
-----BEGIN OPENSSH PRIVATE KEY-----
b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ
-----END OPENSSH PRIVATE KEY-----
EOT
}

environment "production" {}
