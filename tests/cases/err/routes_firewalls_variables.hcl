# --- W0511_nomad_api_public
# Warning: W0511 8:8
# W0511: Nomad's HTTP API open to the whole internet.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
firewall "cluster" {
  rule "ssh" { protocol = "tcp", port = 22, from = ["100.64.0.0/10"] }
  rule "nomad_http" { protocol = "tcp", port = 4646, from = ["0.0.0.0/0", "::/0"] }
}

# --- W0508_path_on_tcp_check
# Warning: W0508 9:18
# W0508: a tcp check has no path.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
app "db" {
  image = "postgres:16.4"
  port "pg" { to = 5432 }
  health "tcp" { path = "/ready" }
}

# --- E0303_redirect_bare_host
# Error: E0303 7:14
# E0303: a redirect without a scheme is a relative path.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
route "u.example.com" {
  redirect = "example.com"
  dns      = "external"
}

# --- E0303_redirect_to_itself
# Error: E0303 7:14
# E0303: a route that redirects to its own host loops.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
route "example.com" {
  redirect = "https://example.com{uri}"
  dns      = "external"
}

# --- E0205_header_twice_in_other_case
# Error: E0205 9:25
# E0205: HTTP header names ignore case.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
middleware "headers" {
  headers = {
    "X-Frame-Options" = "DENY"
    "x-frame-options" = "SAMEORIGIN"
  }
}

# --- E0308_default_of_the_wrong_type
# Error: E0308 10:13
# E0308: the default is checked even when every environment sets the variable.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {
  vars = { replicas = 2 }
}
variable "replicas" {
  type    = number
  default = "1"
}
