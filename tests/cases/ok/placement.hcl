# ok: placement and failure handling (#18): constraints on node attributes beside runs_on, an affinity and a spread with targets, restart, reschedule and migrate policies, a sticky migrating ephemeral disk, job meta; a batch app with a time zone and overlapping runs allowed.
project "ops" {
  datacenters = ["dc1", "dc2"]
}

environment "production" {}

server "edge" {
  type       = "cx22"
  location   = "nbg1"
  image      = "debian-12"
}

app "proxy" {
  image          = "caddy:2.11.1"
  count          = 2
  runs_on        = server.edge
  ephemeral_disk = 1GiB

  ephemeral_disk_sticky  = true
  ephemeral_disk_migrate = true

  job_meta = { team = "platform", tier = 1 }

  port "http" { to = 80 }
  health "http" { path = "/" }

  constraint {
    attribute = "$${attr.unique.hostname}"
    operator  = "regexp"
    value     = "^hecate-(edge|app)-[0-9]+$"
  }
  constraint {
    attribute = "$${attr.kernel.version}"
    operator  = "version"
    value     = ">= 5.10, < 7"
  }
  constraint {
    operator = "distinct_hosts"
    value    = "true"
  }
  constraint {
    attribute = "$${meta.rack}"
    operator  = "is_set"
  }

  affinity {
    attribute = "$${node.datacenter}"
    value     = "dc1"
    weight    = 60
  }

  spread {
    attribute = "$${node.datacenter}"
    weight    = 100
    target "dc1" { percent = 70% }
    target "dc2" { percent = 30% }
  }

  restart {
    attempts = 2
    interval = 10m
    delay    = 1m
    mode     = "delay"
  }

  reschedule {
    attempts       = 5
    interval       = 1h
    delay          = 30s
    delay_function = "exponential"
    max_delay      = 10m
  }

  migrate {
    max_parallel     = 1
    health_check     = "checks"
    min_healthy_time = 30s
    healthy_deadline = 5m
  }
}

app "report" {
  type             = "batch"
  schedule         = "0 3 * * *"
  time_zone        = "Australia/Perth"
  prohibit_overlap = false
  image            = "registry.example.com/report:1.4.0"

  reschedule {
    attempts = 2
    interval = 2h
  }
}
