# E0303: Nomad rejects an update block whose progress_deadline is not
# longer than its healthy_deadline (UpdateStrategy.Validate).
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

rollout "slow" {
  strategy          = "rolling"
  healthy_deadline  = 10m
  progress_deadline = 5m
}
