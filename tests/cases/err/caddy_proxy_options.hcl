# --- E0350_header_up_env_placeholder
# Error: E0350 13:26
# Warning: W0503 9:7
# E0350: `{env.*}` in a header_up value would send the proxy host's environment (its API tokens) to the backend.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
upstream "app" {
  targets = ["10.0.0.5:8080"]
}
route "app.example.com" {
  to  = upstream.app
  dns = "external"
  header_up {
    set = { "X-Origin" = "{env.HOME}" }
  }
}

# --- E0350_rate_limit_key_file_placeholder
# Error: E0350 9:51
# E0350: a rate limit key is a header template too: `{file.*}` reads a file of the proxy host.
project "demo" {
  datacenters   = ["dc1"]
  caddy_plugins = ["rate_limit"]
  caddy_image   = "registry.example.com/caddy:2.11-ratelimit"
}
environment "production" {}
middleware "limited" {
  rate_limit = { events = 100, window = 1m, key = "{file.token}" }
}

# --- W0508_lb_policy_on_a_redirect
# Warning: W0508 9:3
# W0508: a redirect has no reverse proxy to balance.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
route "old.example.com" {
  redirect  = "https://www.example.com{uri}"
  dns       = "external"
  lb_policy = "first"
}

# --- E0352_max_fails_without_fail_duration
# Error: E0352 12:3
# Warning: W0503 9:7
# E0352: Caddy counts no failure without `fail_duration`.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
upstream "app" {
  targets = ["10.0.0.5:8080", "10.0.0.6:8080"]
}
route "app.example.com" {
  to        = upstream.app
  dns       = "external"
  max_fails = 3
}

# --- E0352_header_policy_without_field
# Error: E0352 12:15
# Warning: W0503 9:7
# E0352: `lb_policy = "header"` hashes a header that `lb_field` must name.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
upstream "app" {
  targets = ["10.0.0.5:8080", "10.0.0.6:8080"]
}
route "app.example.com" {
  to        = upstream.app
  dns       = "external"
  lb_policy = "header"
}

# --- E0352_fallback_with_other_tls
# Error: E0352 15:15
# Warning: W0503 13:7
# E0352: one reverse proxy has one transport: a TLS fallback for a plain HTTP target.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
upstream "app" {
  targets = ["10.0.0.5:8080"]
}
upstream "backup" {
  targets = ["10.0.0.9:8443"]
  tls     = true
}
route "app.example.com" {
  to       = upstream.app
  fallback = [upstream.backup]
  dns      = "external"
}

# --- E0352_fallback_repeats_the_target
# Error: E0352 11:15
# Warning: W0503 9:7
# E0352: a fallback that is the route's own target is tried already.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
upstream "app" {
  targets = ["10.0.0.5:8080"]
}
route "app.example.com" {
  to       = upstream.app
  fallback = [upstream.app]
  dns      = "external"
}

# --- E0353_storage_outside_the_data_volume
# Error: E0353 5:12
# E0353: the proxy job keeps only /data across restarts.
project "demo" {
  datacenters = ["dc1"]
  storage {
    root = "/var/lib/caddy"
  }
}
environment "production" {}

# --- E0303_roll_keep_for_not_whole_days
# Error: E0303 6:21
# E0303: Caddy keeps rotated logs by whole days.
project "demo" {
  datacenters = ["dc1"]
  log {
    file          = "/var/log/caddy/access.log"
    roll_keep_for = 36h
  }
}
environment "production" {}

# --- W0516_health_on_an_app_target
# Warning: W0503 11:7
# Warning: W0516 14:3
# W0516: Caddy runs no active health check on Consul-discovered instances.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
app "web" {
  image = "example/web:1.0.0"
  port "http" { to = 8080 }
  health "http" { path = "/health" }
}
route "web.example.com" {
  to  = app.web
  dns = "external"
  health {
    path = "/health"
  }
}

# --- E0352_try_interval_without_try_duration
# Error: E0352 12:3
# Warning: W0503 9:7
# E0352: Caddy tries once without a try duration or retries, so the interval never applies.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
upstream "app" {
  targets = ["10.0.0.5:8080", "10.0.0.6:8080"]
}
route "app.example.com" {
  to              = upstream.app
  dns             = "external"
  lb_try_interval = 250ms
}

# --- E0202_php_fastcgi_not_supported
# Error: E0202 8:3
# E0202: php_fastcgi is left out on purpose (sema/schema/unsupported.rs): the help says why and what to do instead.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
route "php.example.com" {
  dns         = "external"
  php_fastcgi = "unix//run/php/php-fpm.sock"
  respond     = 404
}

# --- E0202_lb_policy_on_an_upstream
# Error: E0202 8:3
# E0202: balancing is a route's setting; an upstream may back several routes.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
upstream "app" {
  targets   = ["10.0.0.5:8080"]
  lb_policy = "first"
}
