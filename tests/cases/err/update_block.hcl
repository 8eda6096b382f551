# --- E0303_stagger_zero
# Error: E0303 6:14
# E0303: Nomad refuses a stagger of zero (UpdateStrategy.Validate).
project "demo" { datacenters = ["dc1"] }
environment "production" {}
rollout "r" {
  strategy = "rolling"
  stagger  = 0s
}

# --- W0508_canary_count_on_rolling
# Warning: W0508 6:3
# W0508: a rolling rollout starts no canaries.
project "demo" { datacenters = ["dc1"] }
environment "production" {}
rollout "r" {
  strategy = "rolling"
  canary   = 2
}

# --- E0202_auto_promote
# Error: E0202 6:3
# E0202: Nomad promoting on its own would skip the verify step and the traffic stages.
project "demo" { datacenters = ["dc1"] }
environment "production" {}
rollout "r" {
  strategy     = "canary"
  auto_promote = true
  stage { traffic = 100% }
}

# --- E0306_health_check_manual
# Error: E0306 6:18
# E0306: nothing would set the health the pipeline waits for.
project "demo" { datacenters = ["dc1"] }
environment "production" {}
rollout "r" {
  strategy     = "rolling"
  health_check = "manual"
}
