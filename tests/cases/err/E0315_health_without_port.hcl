# E0315: the app has two ports; its health check must say which one it probes.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

app "web" {
  image = "nginx:1.27-alpine"
  port "http" { to = 80 }
  port "metrics" { to = 9100 }
  health "http" { path = "/health" }
}
