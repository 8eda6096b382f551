# E0103: `30sec` is not a duration literal; durations use ms, s, m, h, d.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

app "web" {
  image = "nginx:1.27-alpine"
  port "http" { to = 80 }
  health "http" { path = "/", interval = 30sec }
}
