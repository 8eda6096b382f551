# W0501: an upstream that skips TLS verification can be impersonated by anyone on the path.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

upstream "wazuh" {
  targets         = ["10.0.0.9:443"]
  tls             = true
  tls_skip_verify = true
}
