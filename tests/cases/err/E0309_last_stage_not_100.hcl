# E0309: the last canary stage must send 100% of the traffic.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

rollout "canary" {
  strategy = "canary"
  stage { traffic = 10%, bake = 10m }
  stage { traffic = 50%, bake = 1h }
}
