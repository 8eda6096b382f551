# W0102: an eosc:allow comment with no finding on its line or the next one.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

upstream "wazuh" {
  targets = ["10.0.0.9:443"] # eosc:allow W0501 -- self-signed
}
