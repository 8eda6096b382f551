# --- E0409_shared_zone
# Error: E0409 9:5
# E0409: both environments would create the zone; their records differ.
project "demo" {
  datacenters = ["dc1"]
}
environment "staging" {
  host_suffix = "-staging"
}
environment "production" {}
dns "example.com" {
  record "www" { type = "A", value = "192.0.2.10" }
}

# --- E0409_shared_rrset
# Error: E0409 9:10
# E0409: an existing zone is shared by design, but not its rrsets.
project "demo" {
  datacenters = ["dc1"]
}
environment "staging" {}
environment "production" {}
dns "example.com" {
  existing = true
  record "www" { type = "A", value = "192.0.2.10" }
}

# --- E0409_shared_route_host
# Error: E0409 12:7
# Warning: W0503 12:7
# E0409: one Caddy host in two environments.
project "demo" {
  datacenters = ["dc1"]
}
environment "staging" {
  region = "staging"
}
environment "production" {}
upstream "site" {
  targets = ["10.0.0.5:8080"]
}
route "www.example.com" {
  to  = upstream.site
  dns = "external"
}

# --- E0409_shared_authentik_slug
# Error: E0409 20:7
# Error: E0409 20:7
# Warning: W0503 20:7
# E0409: the host is shared, and so is the Authentik application protecting it.
project "demo" {
  datacenters = ["dc1"]
}
environment "staging" {
  region = "staging"
}
environment "production" {}
upstream "idp" {
  targets = ["10.0.0.9:9000"]
}
upstream "site" {
  targets = ["10.0.0.5:8080"]
}
auth "staff" {
  provider = "authentik"
  outpost = upstream.idp
  groups  = ["staff"]
}
route "admin.example.com" {
  to   = upstream.site
  auth = auth.staff
  dns  = "external"
}

# --- E0409_shared_nomad_job
# Error: E0409 7:5
# E0409: the same job name in one Nomad region.
project "demo" {
  datacenters = ["dc1"]
}
environment "staging" {}
environment "production" {}
app "worker" {
  image = "registry.example.com/worker:1.0.0"
  type  = "batch"
}

# --- E0409_shared_server_name
# Error: E0409 7:8
# E0409: `stag_ing` and `stag-ing` give the same Hetzner names.
project "demo" {
  datacenters = ["dc1"]
}
environment "stag_ing" {}
environment "stag-ing" {}
server "web" {
  type     = "cx22"
  location = "nbg1"
  image    = "ubuntu-24.04"
}
