# A node exporter on every node, rolled out as a canary.

project "shop" {
  datacenters = ["dc1"]
  acme_email  = "ops@example.com"
}

environment "production" {}

server "web" {
  type     = "cx22"
  location = "nbg1"
  image    = "ubuntu-24.04"
}

rollout "careful" {
  strategy = "canary"
  stage { traffic = 10%, bake = 15m }
  stage { traffic = 100% }
}

app "node-exporter" {
  image   = "prom/node-exporter:v1.8.2"
  runs_on = server.web
  type = "system"
  rollout = rollout.careful

  port "metrics" { to = 9100 }
  resources { cpu = 200, memory = 256MiB }
  health "http" { path = "/metrics" }
}
