# --- E0204_volume_twice
# Error: E0204 11:10
# E0204: two volumes of one name: Nomad keeps one.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
app "db" {
  image = "postgres:16.4"
  port "pg" { to = 5432 }
  health "tcp" {}
  volume "data" { host = "pg-a", path = "/a" }
  volume "data" { host = "pg-b", path = "/b" }
}

# --- E0312_volume_path_dotdot
# Error: E0312 10:39
# E0312: `..` in a mount path lands the volume elsewhere.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
app "db" {
  image = "postgres:16.4"
  port "pg" { to = 5432 }
  health "tcp" {}
  volume "data" { host = "pg", path = "/data/../etc" }
}

# --- E0303_volume_host_empty
# Error: E0303 10:26
# E0303: an empty host volume name.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
app "db" {
  image = "postgres:16.4"
  port "pg" { to = 5432 }
  health "tcp" {}
  volume "data" { host = "", path = "/data" }
}

# --- E0303_firewall_cidr_host_bits
# Error: E0303 7:53
# Warning: W0509 6:10
# E0303: a CIDR with host bits set.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
firewall "admin" {
  rule "ssh" { protocol = "tcp", port = 22, from = ["10.0.0.1/8"] }
}

# --- E0303_auth_no_groups
# Error: E0303 14:14
# Warning: W0510 11:6
# E0303: `groups = []` lets every signed-in user in.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
app "db" {
  image = "postgres:16.4"
  port "pg" { to = 5432 }
  health "tcp" {}
}
auth "staff" {
  provider = "authentik"
  outpost  = app.db.port.pg
  groups   = []
}

# --- W0502_caddy_image_latest
# Warning: W0502 4:17
# W0502: the proxy's Caddy image is not pinned.
project "demo" {
  datacenters = ["dc1"]
  caddy_image = "caddy:latest"
}
environment "production" {}
