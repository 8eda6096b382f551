# E0310: an app that rolls out as a canary needs a health check to judge the canary.
import "std/rollouts"

project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

app "web" {
  image   = "nginx:1.27-alpine"
  rollout = rollout.canary
  port "http" { to = 80 }
}
