# --- E0303_proxy_protocol_on_tcp_and_udp
# Error: E0303 18:3
# E0303: nginx would prefix every UDP datagram with a PROXY header claiming TCP.
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

stream "wazuh" {
  protocol       = "both"
  listen         = 1514
  proxy_protocol = true
  target         = ["10.0.0.7:1514"]
}

# --- E0315_route_to_a_port_range
# Error: E0315 16:16
# Warning: W0504 10:1
# E0315: a route reaches one port; a static range is a port per member.
import "std/security"

project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

app "turn" {
  image = "coturn/coturn:4.6.2-alpine"
  port "relay" { static = "49160-49200", protocol = "udp" }
}

route "turn.example.com" {
  to         = app.turn
  middleware = [middleware.security]
  dns        = "external"
}

# --- E0317_app_named_like_the_proxy_job
# Error: E0317 8:5
# E0317: `hecate-proxy` is the Nomad job that runs the edge.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

app "hecate-proxy" {
  image = "caddy:2.11-alpine"
}
