# A canary stage baked for a week, written with a unit eosc does not have.

project "shop" {
  datacenters = ["dc1"]
}

environment "production" {}

rollout "careful" {
  strategy = "canary"
  stage { traffic = 10%, bake = 1w }
  stage { traffic = 100% }
}
