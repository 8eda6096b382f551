# --- E0204_duplicate_environment
# Error: E0204 7:13
# E0204: two environments share the name `production`.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}
environment "production" {
  approval = true
}

# --- E0301_number_for_bool
# Error: E0301 7:14
# E0301: `approval` is a bool; write `true`, not 1.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {
  approval = 1
}
