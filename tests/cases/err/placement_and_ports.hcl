# --- E0303_runs_on_a_class_of_no_servers
# Error: E0303 14:13
# E0303: Nomad has no node to place the app on.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
server "db" {
  type     = "cx22"
  location = "nbg1"
  image    = "ubuntu-24.04"
  count    = 0
}
app "pg" {
  image   = "postgres:16.4"
  runs_on = server.db
  port "pg" { to = 5432 }
  health "tcp" {}
}

# --- W0508_max_parallel_wider_than_the_app
# Warning: W0508 8:22
# W0508: max_parallel above the app's count replaces every instance at once.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
rollout "wide" {
  strategy         = "rolling"
  max_parallel     = 5
  healthy_deadline = 5m
}
app "web" {
  image   = "nginx:1.27"
  count   = 2
  rollout = rollout.wide
  port "http" { to = 80 }
  health "http" { path = "/" }
}

# --- E0303_volume_host_is_a_path
# Error: E0303 10:26
# E0303: `host` names a host volume, not a directory.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
app "pg" {
  image = "postgres:16.4"
  port "pg" { to = 5432 }
  health "tcp" {}
  volume "data" { host = "/srv/postgres", path = "/var/lib/postgresql/data" }
}

# --- E0315_health_check_on_a_port_range
# Error: E0315 10:25
# E0315: a port range registers no service, so its check never runs.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
app "turn" {
  image = "coturn/coturn:4.6"
  port "relay" { static = "49160-49200", protocol = "udp" }
  port "stun" { static = 3478 }
  health "tcp" { port = "relay" }
}

# --- E0205_second_log_block
# Error: E0205 13:3
# Warning: W0503 9:7
# E0205: a route writes one access log.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
upstream "site" {
  targets = ["10.0.0.5:8080"]
}
route "example.com" {
  to  = upstream.site
  dns = "external"
  log { file = "/var/log/caddy/a.log" }
  log { file = "/var/log/caddy/b.log" }
}

# --- E0410_stream_on_the_ssh_port
# Error: E0410 10:12
# E0410: sshd holds 22 on every server.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
upstream "git" {
  targets = ["10.0.0.9:22"]
}
stream "git" {
  listen = 22
  target = upstream.git
}
