# A service name of 69 characters: Consul's DNS label limit is 63 (RFC 1123),
# so `<service>.service.consul` never resolves (blind corpus case 045).
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

app "helen" {
  image = "nginx:1.27-alpine"
  port "http" { to = 80 }
  health "http" { path = "/health" }
  service = "helen-web-frontend-public-site-cybermonkey-production-primary-eu-nbg1"
}
