# E0303: a port range rises: "49200-49160" runs backwards.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

firewall "turn" {
  rule "relay" { protocol = "udp", port = "49200-49160", from = ["0.0.0.0/0"] }
}
