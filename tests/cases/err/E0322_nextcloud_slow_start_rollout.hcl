# nextcloud "takes time to start", so its rollout got a 10m healthy deadline, the same as Nomad's default progress deadline.

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

rollout "patient" {
  strategy = "rolling"
  min_healthy_time = 60s
  healthy_deadline = 10m
}

app "nextcloud" {
  image   = "nextcloud:29.0.7-apache"
  runs_on = server.web
  rollout = rollout.patient

  port "http" { to = 80 }
  resources { cpu = 200, memory = 256MiB }
  health "http" { path = "/health" }
}
