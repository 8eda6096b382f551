# E0410: the proxy's nodes have one listener per port and protocol. A stream
# on Caddy's HTTPS port, two streams on one UDP port, and an app whose
# static port lands on the same node as a stream all clash.
import "std/security"

project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

server "edge" {
  type     = "cx22"
  location = "nbg1"
  image    = "ubuntu-22.04"
  labels   = { role = "hecate-proxy" }
}

upstream "site" {
  targets = ["10.0.0.5:8080"]
}

route "www.example.com" {
  to         = upstream.site
  middleware = [middleware.security]
  dns        = "external"
}

stream "tls-passthrough" {
  listen = 443
  target = ["10.0.0.6:443"]
}

stream "syslog" {
  protocol = "udp"
  listen   = 514
  target   = ["10.0.0.7:514"]
}

stream "syslog-too" {
  protocol = "both"
  listen   = "500-520"
  target   = ["10.0.0.8"]
}

app "turn" {
  image   = "coturn/coturn:4.6.2-alpine"
  runs_on = server.edge
  port "relay" { static = "510-512", protocol = "udp" }
}
