# W0101: an eosc:allow comment accepts the finding but must say why.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

upstream "wazuh" {
  targets = ["10.0.0.9:443"]
  tls     = true
  # eosc:allow W0501
  tls_skip_verify = true
}
