# E0306: `linear` is not a rollout strategy (rolling, canary or blue_green).
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

rollout "slow" {
  strategy = "linear"
}
