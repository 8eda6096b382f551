# ok: std/rollouts provides `blue_green` and `rolling`; apps pick them by reference.
import "std/rollouts"
import "std/security"

project "blog" {
  datacenters = ["dc1"]
}

environment "production" {}

app "blog" {
  image   = "ghost:5.96-alpine"
  rollout = rollout.blue_green

  port "http" { to = 2368 }
  resources { cpu = 300, memory = 512MiB }
  health "http" { path = "/ghost/api/admin/site/" }
  volume "content" { host = "ghost-content", path = "/var/lib/ghost/content" }
}

app "db" {
  image   = "mysql:8.4.3"
  rollout = rollout.rolling

  port "db" { to = 3306, static = 3306 }
  resources { cpu = 500, memory = 1GiB }
  health "tcp" { interval = 10s, timeout = 2s }
}

route "blog.example.org" {
  to         = app.blog.port.http
  middleware = [middleware.security]
  dns        = "external"
}
