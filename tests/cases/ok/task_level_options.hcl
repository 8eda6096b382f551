# ok: per-task options. Authentik's server and worker share one group: each
# task publishes its own ports, mounts only the volumes it names (the worker
# alone gets the certificates, read-only), binds directories of its
# allocation, and carries its own Docker settings; a host-network task
# listens on a static port directly.
project "idp" {
  datacenters = ["dc1"]
}

environment "production" {}

app "authentik" {
  port "http" { to = 9000 }
  port "https" { to = 9443 }
  port "metrics" { to = 9300 }
  health "http" { port = "http", path = "/-/health/live/" }

  volume "media" { host = "authentik-media", path = "/media" }
  volume "certs" { host = "authentik-certs", path = "/certs", read_only = true }

  task "server" {
    image   = "ghcr.io/goauthentik/server:2025.6.1"
    command = "server"
    ports   = ["http", "https"]
    volume_mount "media" {}
    mount { source = "local/blueprints", path = "/blueprints/custom", read_only = true }
    mount { source = "alloc/data/templates", path = "/templates" }
    logging {
      type   = "json-file"
      config = { max-size = "10m", max-file = 3 }
    }
  }

  task "worker" {
    image    = "ghcr.io/goauthentik/server:2025.6.1"
    command  = "worker"
    ports    = ["metrics"]
    user     = "1000:1000"
    cap_drop = ["ALL"]
    cap_add  = ["chown", "CAP_SETUID", "setgid"]
    volume_mount "media" { path = "/data/media" }
    volume_mount "certs" {}
    mount { source = "alloc/data/templates", path = "/templates", read_only = true }
    resources { cpu = 500, memory = 512MiB }
  }
}

app "edge" {
  image           = "caddy:2.11-alpine"
  network_mode    = "host"
  readonly_rootfs = true
  user            = "caddy"
  cap_add         = ["NET_BIND_SERVICE"]
  port "http" { static = 80 }
  health "tcp" {}
  mount { source = "secrets/tls", path = "/etc/caddy/tls", read_only = true }
  logging { type = "journald" }
}
