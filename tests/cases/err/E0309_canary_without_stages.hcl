# E0309: a canary rollout needs stages.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

rollout "canary" {
  strategy     = "canary"
  max_parallel = 1
}
