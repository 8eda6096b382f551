# A log shipper on every node with a blue/green rollout.

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

rollout "bg" {
  strategy = "blue_green"
}

app "vector" {
  image   = "timberio/vector:0.41.1-alpine"
  runs_on = server.web
  type = "system"
  rollout = rollout.bg

  port "api" { to = 8686 }
  resources { cpu = 200, memory = 256MiB }
  health "http" { path = "/health" }
}
