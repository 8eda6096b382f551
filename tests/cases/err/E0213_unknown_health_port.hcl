# E0213: the health check probes port `admin`, which the app does not declare.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

app "web" {
  image = "nginx:1.27-alpine"
  port "http" { to = 80 }
  port "metrics" { to = 9100 }
  health "http" { port = "admin", path = "/health" }
}
