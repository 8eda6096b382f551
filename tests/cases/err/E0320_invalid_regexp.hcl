# E0320: Caddy's regexps are RE2; an unclosed group is invalid.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

middleware "guard" {
  block "dotfiles" {
    path_regexp = "^/(\\.git|\\.env"
  }
}
