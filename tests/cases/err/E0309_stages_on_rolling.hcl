# E0309: only canary rollouts have traffic stages.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

rollout "rolling" {
  strategy = "rolling"
  stage { traffic = 100% }
}
