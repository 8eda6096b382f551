# E0302: durations are literals: write 30s, not "30s".
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

app "web" {
  image = "nginx:1.27-alpine"
  port "http" { to = 80 }
  health "http" { path = "/health", interval = "30s" }
}
