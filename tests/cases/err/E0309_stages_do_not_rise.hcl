# E0309: canary stages must rise; 10% after 25% goes backwards.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

rollout "canary" {
  strategy = "canary"
  stage { traffic = 25%, bake = 10m }
  stage { traffic = 10%, bake = 10m }
  stage { traffic = 100% }
}
