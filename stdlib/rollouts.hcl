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

rollout "blue_green" {
  strategy         = "blue_green"
  min_healthy_time = 30s
  healthy_deadline = 10m
  auto_revert      = true
}
