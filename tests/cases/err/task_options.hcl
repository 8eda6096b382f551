# --- E0333_unknown_volume
# Error: E0333 12:18
# E0333: a task mounts a volume the app does not have (did you mean `media`?).
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
app "authentik" {
  volume "media" { host = "authentik-media", path = "/media" }
  port "http" { to = 8080 }
  health "tcp" {}
  task "server" {
    image = "ghcr.io/goauthentik/server:2025.6.1"
    volume_mount "medai" {}
  }
}

# --- E0334_port_in_two_tasks
# Error: E0334 15:14
# E0334: the server and the worker both publish `http`.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
app "authentik" {
  port "http" { to = 9000 }
  health "tcp" {}
  task "server" {
    image = "ghcr.io/goauthentik/server:2025.6.1"
    ports = ["http"]
  }
  task "worker" {
    image = "ghcr.io/goauthentik/server:2025.6.1"
    ports = ["http"]
  }
}

# --- E0213_task_port_unknown
# Error: E0213 11:22
# E0213: a task publishes a port the app does not declare.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
app "authentik" {
  port "http" { to = 9000 }
  health "tcp" {}
  task "server" {
    image = "ghcr.io/goauthentik/server:2025.6.1"
    ports = ["http", "htps"]
  }
}

# --- E0335_unknown_capability
# Error: E0335 8:14
# E0335: a misspelt capability.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
app "caddy" {
  image   = "caddy:2.11-alpine"
  cap_add = ["NET_BIND_SERVCE"]
  port "http" { to = 8080 }
  health "tcp" {}
}

# --- E0336_task_dir_escapes
# Error: E0336 10:20
# E0336: `..` leaves the task directory.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
app "authentik" {
  image = "ghcr.io/goauthentik/server:2025.6.1"
  port "http" { to = 8080 }
  health "tcp" {}
  mount { source = "local/../../etc", path = "/blueprints/custom" }
}

# --- E0336_task_dir_host_path
# Error: E0336 10:20
# E0336: a host path is a volume, not a task directory mount.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
app "authentik" {
  image = "ghcr.io/goauthentik/server:2025.6.1"
  port "http" { to = 8080 }
  health "tcp" {}
  mount { source = "/var/run/docker.sock", path = "/var/run/docker.sock" }
}

# --- E0325_host_network_to
# Error: E0325 8:18
# E0325: Docker discards `to` under host networking.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
app "caddy" {
  image        = "caddy:2.11-alpine"
  network_mode = "host"
  port "http" { static = 8080, to = 80 }
  health "tcp" {}
}

# --- E0325_writable_mount_of_read_only_volume
# Error: E0325 12:40
# E0325: a read-only volume mounted writable.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
app "authentik" {
  volume "certs" { host = "authentik-certs", path = "/certs", read_only = true }
  port "http" { to = 8080 }
  health "tcp" {}
  task "worker" {
    image = "ghcr.io/goauthentik/server:2025.6.1"
    volume_mount "certs" { read_only = false }
  }
}

# --- E0303_user_malformed
# Error: E0303 8:11
# E0303: a user with a space is no user.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
app "postgres" {
  image = "postgres:16.4-alpine"
  user  = "postgres user"
  port "http" { to = 8080 }
  health "tcp" {}
}

# --- E0314_logging_on_app_with_tasks
# Error: E0314 9:3
# E0314: logging belongs to the tasks.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
app "authentik" {
  port "http" { to = 8080 }
  health "tcp" {}
  logging { type = "journald" }
  task "server" {
    image = "ghcr.io/goauthentik/server:2025.6.1"
  }
}

# --- E0306_unknown_log_driver
# Error: E0306 10:20
# E0306: logging plugins are not built in.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
app "caddy" {
  image = "caddy:2.11-alpine"
  port "http" { to = 8080 }
  health "tcp" {}
  logging { type = "loki" }
}

# --- W0512_capability_outside_default_allow_caps
# Warning: W0512 8:14
# W0512: NET_ADMIN needs the client's allow_caps.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
app "vpn" {
  image   = "linuxserver/wireguard:1.0.20210914"
  cap_add = ["NET_ADMIN"]
  port "http" { to = 8080 }
  health "tcp" {}
}

# --- W0508_volume_mounted_by_no_task
# Warning: W0508 8:3
# W0508: once tasks name their volumes, one nobody names is unused.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
app "authentik" {
  volume "media" { host = "authentik-media", path = "/media" }
  volume "certs" { host = "authentik-certs", path = "/certs" }
  port "http" { to = 8080 }
  health "tcp" {}
  task "server" {
    image = "ghcr.io/goauthentik/server:2025.6.1"
    volume_mount "media" {}
  }
}

# --- W0508_port_published_by_no_task
# Warning: W0508 8:3
# W0508: once tasks list ports, a port nobody lists is published nowhere.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
app "authentik" {
  port "http" { to = 9000 }
  port "metrics" { to = 9300 }
  health "tcp" { port = "http" }
  task "server" {
    image = "ghcr.io/goauthentik/server:2025.6.1"
    ports = ["http"]
  }
  task "worker" {
    image = "ghcr.io/goauthentik/server:2025.6.1"
  }
}

# --- E0202_privileged_task
# Error: E0202 11:5
# E0202: `privileged` is left out on purpose; the help says what instead.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
app "authentik" {
  port "http" { to = 9000 }
  health "tcp" {}
  task "worker" {
    image      = "ghcr.io/goauthentik/server:2025.6.1"
    privileged = true
  }
}
