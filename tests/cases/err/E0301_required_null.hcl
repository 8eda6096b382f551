# E0301: `null` means "absent", and these attributes are required.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

rollout "safe" {
  strategy = null
}

upstream "legacy" {
  targets = null
}
