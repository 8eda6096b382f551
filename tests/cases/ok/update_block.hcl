# ok: the whole Nomad update block from a rollout: stagger, progress deadline, health by task state, and a canary rollout that starts two canaries.
import "std/security"

project "shop" {
  datacenters = ["dc1"]
  region      = "global"
  registry    = "registry.example.com"
  acme_email  = "ops@example.com"
}

environment "production" {}

server "web" {
  type     = "cx22"
  location = "nbg1"
  image    = "ubuntu-24.04"
  count    = 3
}

rollout "careful" {
  strategy          = "canary"
  canary            = 2
  max_parallel      = 2
  min_healthy_time  = 30s
  healthy_deadline  = 5m
  progress_deadline = 15m
  stagger           = 45s
  health_check      = "checks"
  stage { traffic = 10%, bake = 10m }
  stage { traffic = 100% }
}

rollout "steady" {
  strategy     = "rolling"
  max_parallel = 1
  stagger      = 1m
  health_check = "task_states"
}

app "storefront" {
  image   = "registry.example.com/storefront:2026.1.0"
  count   = 4
  runs_on = server.web
  rollout = rollout.careful
  port "http" { to = 8080 }
  health "http" { path = "/healthz" }
}

app "worker" {
  image   = "registry.example.com/worker:2026.1.0"
  count   = 2
  runs_on = server.web
  rollout = rollout.steady
  port "http" { to = 9000 }
  health "tcp" {}
}

route "shop.example.com" {
  to         = app.storefront
  middleware = [middleware.security]
}

dns "example.com" {
  record "shop" {
    type  = "A"
    value = "192.0.2.10"
  }
}
