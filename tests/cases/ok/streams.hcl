# Layer-4 streams: TCP, UDP, both, a port range to the same ports of one
# address, an upstream and an app's static port as targets, PROXY protocol,
# timeouts and client CIDRs; an app port range with a protocol.
project "streams" {
  datacenters = ["dc1"]
}

environment "production" {}

server "edge" {
  type     = "cx22"
  location = "nbg1"
  image    = "ubuntu-22.04"
  count    = 2
  labels   = { role = "hecate-proxy" }
}

server "db" {
  type     = "cx22"
  location = "nbg1"
  image    = "ubuntu-22.04"
}

upstream "mail" {
  targets = ["10.0.0.9:25", "10.0.0.10:25"]
}

app "postgres" {
  image   = "postgres:16-alpine"
  runs_on = server.db
  port "db" { to = 5432, static = 5432 }
  resources { cpu = 500, memory = 1GiB }
  health "tcp" {}
}

app "turn" {
  image   = "coturn/coturn:4.6.2-alpine"
  runs_on = server.edge
  port "stun"  { static = 3478, protocol = "both" }
  port "relay" { static = "49160-49200", protocol = "udp" }
  health "tcp" { port = "stun" }
}

stream "smtp" {
  listen          = 25
  target          = upstream.mail
  proxy_protocol  = true
  connect_timeout = 5s
  timeout         = 10m
}

stream "dns" {
  protocol = "both"
  listen   = 53
  target   = ["10.0.0.2:53"]
  deny     = ["192.0.2.0/24"]
}

stream "postgres" {
  listen = 15432
  target = app.postgres.port.db
  allow  = ["10.0.0.0/8"]
}

stream "games" {
  protocol = "udp"
  listen   = "27015-27020"
  target   = ["10.0.0.20"]
}
