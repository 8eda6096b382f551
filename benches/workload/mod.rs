//! Synthetic workloads for the benchmarks and the comparison script: a spec
//! with `n` apps, each with a port, resources, an HTTP health check, a
//! dependency on its neighbour, a route and a DNS record; and the same apps
//! as a Salt pillar, the input of the Jinja2 rendering they are compared to.
//!
//! Pure: the functions return text; `write.rs` (the `workload` example) writes it to disk.

use std::fmt::Write as _;

/// The zone every app's host lives in.
pub const ZONE: &str = "example.com";

/// `app00042`: fixed width so names sort in creation order.
pub fn app_name(i: usize) -> String {
    format!("app{i:05}")
}

/// The hecate spec of `n` apps, `n` ≥ 1. App `i` depends on app `i - 1`,
/// so the dependency graph is one chain through every app.
pub fn spec(n: usize) -> String {
    let mut s = String::with_capacity(600 + n * 620);
    s.push_str(&format!(
        r#"# Generated workload: {n} apps (benches/workload).
import "std/security"

project "bench" {{
  datacenters = ["dc1"]
  region      = "global"
  registry    = "registry.{ZONE}"
  acme_email  = "ops@{ZONE}"
}}

variable "version" {{ type = string }}

environment "production" {{
  vars = {{ version = "2026.1.0" }}
}}

server "web" {{
  type     = "cx22"
  location = "nbg1"
  image    = "ubuntu-24.04"
  count    = 2
}}

middleware "common" {{
  use = [middleware.security]
}}

"#
    ));
    for i in 0..n {
        let name = app_name(i);
        let _ = write!(
            s,
            r#"app "{name}" {{
  image   = "${{project.registry}}/{name}:${{var.version}}"
  runs_on = server.web
"#
        );
        if i > 0 {
            let _ = writeln!(s, "  depends_on = [app.{}]", app_name(i - 1));
        }
        let _ = write!(
            s,
            r#"  port "http" {{ to = 8080 }}
  resources {{ cpu = 100, memory = 128MiB, memory_max = 256MiB }}
  health "http" {{ path = "/health", interval = 30s, timeout = 5s }}
  env = {{ ENVIRONMENT = env.name, APP = "{name}" }}
}}

route "{name}.{ZONE}" {{
  to         = app.{name}
  middleware = [middleware.common]
}}

"#
        );
    }
    let _ = write!(
        s,
        r#"dns "{ZONE}" {{
  record "@" {{ type = "A",    value = server.web.ipv4, ttl = 300 }}
  record "@" {{ type = "AAAA", value = server.web.ipv6, ttl = 300 }}
"#
    );
    for i in 0..n {
        let _ = writeln!(
            s,
            r#"  record "{}" {{ type = "CNAME", value = "{ZONE}." }}"#,
            app_name(i)
        );
    }
    s.push_str("}\n");
    s
}

/// The same `n` apps as a Salt pillar (YAML), shaped like the seeds'
/// `helen.sls` and `hecate.sls`: per-app image, resources, container port
/// and health check, plus the domain each is routed from.
pub fn pillar(n: usize) -> String {
    let mut s = String::with_capacity(300 + n * 420);
    let _ = write!(
        s,
        r#"# Generated workload: {n} apps (benches/workload), as Salt pillar data.
hecate:
  global:
    domain: {ZONE}
    environment: production
    datacenters: [dc1]
    region: global
  docker:
    registry: registry.{ZONE}
  version: "2026.1.0"
  dns:
    zone: {ZONE}
    ttl: 300
    ipv4: 203.0.113.10
    ipv6: "2001:db8::10"
  apps:
"#
    );
    for i in 0..n {
        let name = app_name(i);
        let _ = write!(
            s,
            r#"    - name: {name}
      domain: {name}.{ZONE}
      count: 1
      depends_on: [{dep}]
      resources:
        cpu: 100
        memory: 128
        memory_max: 256
      container:
        port: 8080
        health_check_path: /health
        health_check_interval: 30s
        health_check_timeout: 5s
      env:
        ENVIRONMENT: production
        APP: {name}
"#,
            dep = if i > 0 {
                app_name(i - 1)
            } else {
                String::new()
            }
        );
    }
    s
}
