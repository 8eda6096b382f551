# E0304: a percent is between 0% and 100%; 150% is not.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

rollout "canary" {
  strategy = "canary"
  stage { traffic = 50%, bake = 10m }
  stage { traffic = 150% }
}
