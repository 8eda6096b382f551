# E0320: RE2 has no look-around; `(?!...)` is rejected.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

middleware "guard" {
  block "agents" {
    user_agent_regexp = "^(?!Mozilla).*"
    abort             = true
  }
}
