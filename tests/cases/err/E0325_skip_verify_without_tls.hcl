# E0325: `tls_skip_verify = true` with `tls = false`: there is no certificate to skip, one of the two lines is a mistake.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

upstream "wazuh" {
  targets         = ["10.0.0.9:443"]
  tls             = false
  tls_skip_verify = true
}
