# W0504: a system job runs on every node for good; without a health check a broken one goes unnoticed.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

app "node-exporter" {
  type  = "system"
  image = "prom/node-exporter:v1.8.2"
  port "metrics" { to = 9100 }
}
