# E0302: percents are literals: write 25%, not "25%".
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

rollout "canary" {
  strategy = "canary"
  stage { traffic = "25%", bake = 10m }
  stage { traffic = 100% }
}
