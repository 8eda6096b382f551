# std/rollouts: update strategies worth starting from.

rollout "rolling" {
  strategy         = "rolling"
  max_parallel     = 1
  min_healthy_time = 10s
  healthy_deadline = 5m
  auto_revert      = true
}

rollout "canary" {
  strategy         = "canary"
  max_parallel     = 1
  min_healthy_time = 30s
  healthy_deadline = 5m
  auto_revert      = true
  stage { traffic = 10%, bake = 15m }
  stage { traffic = 50%, bake = 1h }
  stage { traffic = 100% }
}

# Nomad refuses a healthy deadline that is not below the progress deadline
# (default 10m): the green set gets 15m to make progress.
rollout "blue_green" {
  strategy          = "blue_green"
  min_healthy_time  = 30s
  healthy_deadline  = 10m
  progress_deadline = 15m
  auto_revert       = true
}
