# --- E0202_resources_disk
# Warning: W0504 6:1
# Error: E0202 9:5
# E0202: Nomad's resources.disk is deprecated; the disk is the app's ephemeral_disk.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
app "web" {
  image = "registry.example.com/web:1.0"
  resources {
    disk = 500
  }
}

# --- E0326_affinity_weight_zero
# Warning: W0504 6:1
# Error: E0326 11:17
# E0326: an affinity of weight 0 means nothing; Affinity.Validate refuses it.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
app "web" {
  image = "registry.example.com/web:1.0"
  affinity {
    attribute = "$${node.datacenter}"
    value     = "dc1"
    weight    = 0
  }
}

# --- E0326_distinct_hosts_with_attribute
# Warning: W0504 6:1
# Error: E0326 10:17
# E0326: distinct_hosts compares node IDs and takes no attribute.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
app "web" {
  image = "registry.example.com/web:1.0"
  count = 2
  constraint {
    attribute = "$${attr.unique.hostname}"
    operator  = "distinct_hosts"
  }
}

# --- E0326_is_set_with_value
# Warning: W0504 6:1
# Error: E0326 11:17
# E0326: is_set asks only whether the attribute exists; a value would be ignored, and Nomad refuses it.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
app "web" {
  image = "registry.example.com/web:1.0"
  constraint {
    attribute = "$${meta.rack}"
    operator  = "is_set"
    value     = "a1"
  }
}

# --- E0326_regexp_does_not_compile
# Warning: W0504 6:1
# Error: E0326 11:17
# E0326: a regexp constraint's value must compile as RE2.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
app "web" {
  image = "registry.example.com/web:1.0"
  constraint {
    attribute = "$${attr.unique.hostname}"
    operator  = "regexp"
    value     = "^hecate-(edge"
  }
}

# --- E0326_version_malformed
# Warning: W0504 6:1
# Error: E0326 11:17
# E0326: semver constraints have no `~>` (Nomad's helper/constraints/semver).
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
app "web" {
  image = "registry.example.com/web:1.0"
  affinity {
    attribute = "$${attr.kernel.version}"
    operator  = "semver"
    value     = "~> 5.10"
  }
}

# --- E0327_attribute_without_interpolation
# Warning: W0504 6:1
# Error: E0327 9:17
# E0327: the attribute is Nomad's interpolation, written with eosc's `$${` escape.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
app "web" {
  image = "registry.example.com/web:1.0"
  constraint {
    attribute = "attr.unique.hostname"
    operator  = "regexp"
    value     = "^hecate-edge-"
  }
}

# --- E0327_text_around_the_target
# Warning: W0504 6:1
# Error: E0327 9:17
# E0327: exactly one node target, nothing around it: it is written into the job unescaped.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
app "web" {
  image = "registry.example.com/web:1.0"
  constraint {
    attribute = "$${attr.kernel.name}-$${meta.x}"
    value     = "linux"
  }
}

# --- E0327_unknown_node_field
# Warning: W0504 6:1
# Error: E0327 9:17
# E0327: Nomad resolves five `node.` fields; the host name is `attr.unique.hostname`.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
app "web" {
  image = "registry.example.com/web:1.0"
  spread {
    attribute = "$${node.hostname}"
  }
}

# --- E0328_percents_over_100
# Warning: W0504 6:1
# Error: E0328 11:5
# E0328: spread targets share at most 100%.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
app "web" {
  image = "registry.example.com/web:1.0"
  count = 3
  spread {
    attribute = "$${node.datacenter}"
    target "dc1" { percent = 70% }
    target "dc2" { percent = 40% }
  }
}

# --- E0328_spread_on_system_app
# Warning: W0504 6:1
# Error: E0328 9:3
# E0328: a system job runs on every node: Nomad refuses a spread there.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
app "agent" {
  type  = "system"
  image = "registry.example.com/agent:1.0"
  spread {
    attribute = "$${node.datacenter}"
  }
}

# --- E0329_migrate_on_batch_app
# Error: E0329 9:3
# E0329: Nomad migrates service allocations only.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
app "job" {
  type  = "batch"
  image = "registry.example.com/job:1.0"
  migrate {
    max_parallel = 1
  }
}

# --- E0329_reschedule_attempts_and_unlimited
# Warning: W0504 6:1
# Error: E0329 11:17
# E0329: limited attempts and unlimited rescheduling contradict each other.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
app "web" {
  image = "registry.example.com/web:1.0"
  reschedule {
    attempts  = 3
    interval  = 1h
    unlimited = true
  }
}

# --- E0329_restart_interval_too_short
# Warning: W0504 6:1
# Error: E0329 10:16
# E0329: 5 restarts 30s apart do not fit in 1m.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
app "web" {
  image = "registry.example.com/web:1.0"
  restart {
    attempts = 5
    interval = 1m
    delay    = 30s
  }
}

# --- E0331_unknown_time_zone
# Error: E0331 9:15
# E0331: time_zone is an IANA name, as Go's time.LoadLocation reads it.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
app "report" {
  type      = "batch"
  schedule  = "0 3 * * *"
  time_zone = "Perth"
  image     = "registry.example.com/report:1.4.0"
}

# --- E0341_job_meta_spec_hash
# Warning: W0504 6:1
# Error: E0341 8:16
# E0341: spec_hash is eosc's own job meta key (the pipeline reads it).
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
app "web" {
  image    = "registry.example.com/web:1.0"
  job_meta = { spec_hash = "x", team = "web" }
}

# --- W0508_time_zone_without_schedule
# Warning: W0504 6:1
# Warning: W0508 8:3
# W0508: time_zone belongs to the periodic block of a scheduled batch app.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
app "web" {
  image     = "registry.example.com/web:1.0"
  time_zone = "Europe/Berlin"
}

# --- W0513_node_class_of_no_server
# Warning: W0504 11:1
# Warning: W0513 15:17
# W0513: a node class constraint on a class no server of the spec has.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
server "edge" {
  type     = "cx22"
  location = "nbg1"
  image    = "debian-12"
}
app "web" {
  image = "registry.example.com/web:1.0"
  constraint {
    attribute = "$${node.class}"
    value     = "web"
  }
}
