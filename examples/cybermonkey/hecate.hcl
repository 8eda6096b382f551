# hecate.hcl: the whole "hecate" deployment of cybermonkey.dev.
#
# Sources (the user's own documents, /work/shared/seeds/; "004:NN" = line NN of
# 004_b65307b89167291e.txt, "000:NN" = line NN of 000_a7d3ad146f44dbfc.txt):
#   004:10-145    the live Caddyfile (snippets and the ten live sites)
#   004:151-343   the live docker-compose.yml (caddy, nginx stream, coturn,
#                 postgres, redis, Authentik server + worker)
#   004:347-483   pillar hecate.sls     004:485-648  orchestrate.sls
#   004:650-1550  Nomad jobs (reverse proxy, postgres, redis, Authentik, Helen bridge)
#   004:1599-1633 eos deployment stages (stateful -> core -> apps, promote)
#   000:395-622   Helen's Terraform     000:624-824  Helen's Nomad job (canary)
#   000:826-1030  Helen's Jenkinsfile
#
# No secret value appears in this file: every secret is a Vault KV v2 path.

import "std/security" # defines middleware "security": the (security) snippet, 004:21-44

# --------------------------------------------------------------------------
# Project
# --------------------------------------------------------------------------

project "cybermonkey" {
  datacenters = ["dc1"]                       # every Nomad job, 004:656, 000:632
  region      = "global"                      # nomad_region default, 000:485-489
  registry    = "registry.cybermonkey.net.au" # docker.registry, 000:330
  vault       = "https://vault.cybermonkey.dev"
  acme_email  = "ops@cybermonkey.net.au" # monitoring.alert_email, 000:345
  # terraform/ reads its Hetzner token from Vault (docs/operating.md)
  hcloud_token = secret.hcloud_token
  # The Caddyfile's global log, 004:13-19 (JSON, INFO, to a file; the Nomad
  # version, 004:740-744, writes the same to /alloc/logs).
  log {
    file  = "/var/log/caddy/access.log"
    level = "INFO"
  }
  # Certificate storage, 004:749-751: the proxy job's persistent volume.
  storage {
    root = "/data"
  }
}

# --------------------------------------------------------------------------
# Variables and environments
# --------------------------------------------------------------------------

# Helen's image tag. The Jenkinsfile stamps "<build>-<commit>" (000:884), the
# pillar a timestamp (000:289); here each environment pins its own tag.
variable "version" { type = string }

# Helen instances: the Nomad job runs 2 for HA (000:673).
variable "replicas" {
  type    = number
  default = 1
}

# Authentik release, pinned everywhere in the seeds (004:273, 004:437, 004:1283).
variable "authentik_version" {
  type    = string
  default = "2025.6.1"
}

# Staging is a second, isolated deployment: its own servers (named
# cybermonkey-staging-*), its own Nomad region, and its own names under the
# shared zone: every route host and record gets "-staging" on its first label
# (cloud.cybermonkey.dev -> cloud-staging.cybermonkey.dev; the apex
# cybermonkey.dev -> staging.cybermonkey.dev). eosc refuses two environments
# that would own one rrset, host, job or state path (E0409).
environment "staging" {
  vars        = { replicas = 1, version = "2026.11.22" }
  host_suffix = "-staging"
  region      = "staging"
}

# promote: { from: staging, to: production, requires_approval: true }, 004:1629-1632
environment "production" {
  vars         = { replicas = 2, version = "2026.11.22" }
  approval     = true
  promote_from = environment.staging
}

# --------------------------------------------------------------------------
# Secrets (references only; read by Nomad templates, Terraform, Salt pillar)
# --------------------------------------------------------------------------

# authentik.secret_key, 004:443; AUTHENTIK_SECRET_KEY from .Data.data.value, 004:1311-1312
secret "authentik_secret_key" {
  vault = "secret/hecate/authentik/secret_key"
}

# Authentik's API token for the auth root's Terraform (terraform-auth/). On a
# first install Authentik creates it from AUTHENTIK_BOOTSTRAP_TOKEN (given to
# its server and worker below), so one Vault entry serves both
# (docs/operating.md, "First install").
secret "authentik_bootstrap_token" {
  vault = "secret/hecate/authentik/bootstrap_token"
}

# The Hetzner Cloud API token the infra root's Terraform reads.
secret "hcloud_token" {
  vault = "secret/hecate/hetzner/api_token"
}

# authentik.database.password, 004:442; used by postgres (004:1106-1107) and Authentik (004:1302-1303)
secret "authentik_db_password" {
  vault = "secret/hecate/authentik/db_password"
}

# coturn.static_auth_secret, 004:428. The compose file had it as a literal on
# turnserver's command line (004:232); here it only ever comes from Vault.
secret "coturn_static_auth_secret" {
  vault = "secret/hecate/coturn/auth_secret"
}

# Authentik SMTP settings, one KV v2 secret with several fields, 004:1322-1328
secret "authentik_email_host" {
  vault = "secret/hecate/authentik/email"
  key   = "host"
}
secret "authentik_email_port" {
  vault = "secret/hecate/authentik/email"
  key   = "port"
}
secret "authentik_email_username" {
  vault = "secret/hecate/authentik/email"
  key   = "username"
}
secret "authentik_email_password" {
  vault = "secret/hecate/authentik/email"
  key   = "password"
}
secret "authentik_email_from" {
  vault = "secret/hecate/authentik/email"
  key   = "from"
}

# --------------------------------------------------------------------------
# Servers and firewalls (Hetzner Cloud, location nbg1: 004:358, 000:303)
# The Nomad jobs pin work by hostname prefix: ^hecate-edge- (004:663),
# ^hecate-app- (004:1247), ^hecate-db- / ^hecate-(cache|db)- (004:1047, 004:1165).
# Each server block below is one of those node classes.
# --------------------------------------------------------------------------

# Public edge: Caddy (80/443, 004:159-162) and coturn.
# count = 2: the proxy stack runs two instances for HA (004:679).
server "edge" {
  type     = "cx22" # cx21 in 000:302 is retired; cx22 is its successor
  location = "nbg1"
  image    = "ubuntu-22.04" # 000:304, 000:504
  count    = 2
  firewall = [firewall.public, firewall.cluster]
  # Caddy's config goes to the Salt target roles:hecate-proxy (004:498-499);
  # the label names that role.
  labels = { role = "hecate-proxy", environment = env.name }
}

# The control plane: the Salt orchestration targets roles:hecate-controller
# (004:513-630: terraform, `consul members`, `nomad job run`), so those nodes
# are the cluster's Consul and Nomad servers (bootstrap_expect = 3, one
# Raft quorum); every other server joins them as a client.
server "control" {
  type     = "cx22"
  location = "nbg1"
  image    = "ubuntu-22.04"
  count    = 3
  firewall = [firewall.cluster]
  labels   = { role = "hecate-controller", environment = env.name }
}

# Application nodes: Authentik (004:1244-1248), Helen (node.class "web", 000:665-668).
server "app" {
  type     = "cx22"
  location = "nbg1"
  image    = "ubuntu-22.04"
  count    = 1
  firewall = [firewall.cluster]
  labels   = { role = "hecate-app", environment = env.name }
}

# Stateful nodes: postgres and redis with host volumes (004:1043-1048, 004:1161-1166).
server "db" {
  type     = "cx22"
  location = "nbg1"
  image    = "ubuntu-22.04"
  count    = 1
  firewall = [firewall.cluster]
  labels   = { role = "hecate-db", environment = env.name }
}

# Everything the internet reaches. Ports from compose 004:159-162 (caddy) and
# 004:207-212 (coturn), pillar 004:429-433, Helen firewall 000:527-556.
firewall "public" {
  rule "http" { protocol = "tcp", port = 80, from = ["0.0.0.0/0", "::/0"] }
  rule "https" { protocol = "tcp", port = 443, from = ["0.0.0.0/0", "::/0"] }
  rule "http3" { protocol = "udp", port = 443, from = ["0.0.0.0/0", "::/0"] } # 443/udp, 004:162
  rule "turn" { protocol = "tcp", port = 3478, from = ["0.0.0.0/0", "::/0"] }
  rule "turn_udp" { protocol = "udp", port = 3478, from = ["0.0.0.0/0", "::/0"] }
  rule "turns" { protocol = "tcp", port = 5349, from = ["0.0.0.0/0", "::/0"] }
  rule "turns_udp" { protocol = "udp", port = 5349, from = ["0.0.0.0/0", "::/0"] }
  rule "turn_relay" { protocol = "udp", port = "49160-49200", from = ["0.0.0.0/0", "::/0"] } # 004:212, 004:432-433
}

# Cluster traffic only from private ranges: the Hetzner network (10.0.0.0/8,
# 000:564) and the tailnet the backends live on (100.64.0.0/10; the 100.x
# addresses of 004:86-144).
firewall "cluster" {
  # SSH is open as in the user's Terraform (000:527-535); narrow it to the tailnet when ready.
  rule "ssh" { protocol = "tcp", port = 22, from = ["0.0.0.0/0", "::/0"] }
  rule "nomad_http" { protocol = "tcp", port = 4646, from = ["10.0.0.0/8", "100.64.0.0/10"] }
  rule "nomad_rpc" { protocol = "tcp", port = 4647, from = ["10.0.0.0/8", "100.64.0.0/10"] } # 000:558-566
  rule "nomad_serf" { protocol = "tcp", port = 4648, from = ["10.0.0.0/8", "100.64.0.0/10"] }
  rule "nomad_serf_udp" { protocol = "udp", port = 4648, from = ["10.0.0.0/8", "100.64.0.0/10"] }
  rule "consul_rpc" { protocol = "tcp", port = 8300, from = ["10.0.0.0/8", "100.64.0.0/10"] }
  rule "consul_lan" { protocol = "tcp", port = 8301, from = ["10.0.0.0/8", "100.64.0.0/10"] }
  rule "consul_lan_udp" { protocol = "udp", port = 8301, from = ["10.0.0.0/8", "100.64.0.0/10"] }
  rule "consul_http" { protocol = "tcp", port = 8500, from = ["10.0.0.0/8", "100.64.0.0/10"] } # 000:406, 000:482
}

# --------------------------------------------------------------------------
# Rollouts
# --------------------------------------------------------------------------

# pillar deployment: max_parallel_updates 1, auto_rollback true (004:467-472).
# 60s / 10m because Authentik "takes time to start" (004:1251-1256).
# Nomad refuses a healthy deadline that is not below the progress deadline
# (default 10m), so the deployment gets 15m to make progress.
# The proxy job staggers its updates by 30s (004:674-675).
rollout "rolling" {
  strategy          = "rolling"
  max_parallel      = 1
  min_healthy_time  = 60s
  healthy_deadline  = 10m
  progress_deadline = 15m
  stagger           = 30s
  auto_revert       = true
}

# Helen's update block (000:640-662) plus the user's rollout plan "standard"
# (004:2566-2592): 5% for 30m, 25% for 2h, 50% for 4h, then everyone. The
# seed's auto_promote = true (000:658) is left out on purpose: the
# deployment promotes after the last stage (E0202 names the reason).
rollout "canary" {
  strategy          = "canary"
  canary            = 1 # 000:661
  max_parallel      = 1
  min_healthy_time  = 30s
  healthy_deadline  = 2m
  progress_deadline = 10m # 000:651
  health_check      = "checks"
  auto_revert       = true
  stage { traffic = 5%, bake = 30m }
  stage { traffic = 25%, bake = 2h }
  stage { traffic = 50%, bake = 4h }
  stage { traffic = 100% }
}

# --------------------------------------------------------------------------
# Apps (Nomad jobs). Deployment order of 004:1606-1623: stateful (postgres,
# redis) -> core (proxy) -> apps (authentik, helen); depends_on carries it.
# --------------------------------------------------------------------------

# job "hecate-postgresql", 004:1039-1147; compose 004:237-255
app "postgres" {
  image   = "postgres:16-alpine" # 004:238, 004:1089
  type    = "service"
  service = "postgres-authentik" # Consul name Authentik looks up, 004:1125
  runs_on = server.db
  rollout = rollout.rolling

  # 004:1044-1048 pins the job to "^hecate-db-" hosts; eosc names the
  # servers <project>-<environment>-<server>-<n>, so the same rule reads:
  constraint {
    attribute = "$${attr.unique.hostname}"
    operator  = "regexp"
    value     = "^cybermonkey-${env.name}-db-[0-9]+$"
  }
  # 004:1051-1056: move it off a draining node one at a time, healthy by checks.
  migrate {
    max_parallel     = 1
    health_check     = "checks"
    min_healthy_time = 30s
    healthy_deadline = 5m
  }
  # 004:1062-1067: conservative restarts for the stateful service.
  restart {
    attempts = 3
    interval = 5m
    delay    = 30s
    mode     = "fail"
  }

  port "db" { to = 5432, static = 5432 }                                           # 004:1079-1082
  volume "data" { host = "postgres-authentik", path = "/var/lib/postgresql/data" } # 004:1070-1074, 004:1096-1099
  resources { cpu = 500, memory = 1GiB }                                           # 004:1115-1117

  # Consul tags, 004:1127
  tags = ["postgres", "authentik", "database"]
  # 004:1129-1139: pg_isready inside the container; the user and database
  # are the env's below (the seed read them as ${POSTGRES_USER}/${POSTGRES_DB}).
  health "script" {
    command  = "/usr/local/bin/pg_isready"
    args     = ["-U", "authentik", "-d", "authentik"]
    interval = 10s
    timeout  = 5s
    check_restart {
      limit = 3
      grace = 90s
    }
  }

  env = {
    POSTGRES_USER        = "authentik"        # pillar authentik.database.user, 004:440
    POSTGRES_DB          = "authentik"        # pillar authentik.database.name, 004:439
    POSTGRES_INITDB_ARGS = "--data-checksums" # 004:1109
  }
  secrets = { POSTGRES_PASSWORD = secret.authentik_db_password } # 004:1106-1108
  # No `user = "postgres"` (004:1091-1092, written in the driver's config,
  # where Nomad has no `user`): the image's entrypoint starts as root to own
  # the data directory, which cloud-init creates as root, then drops to
  # postgres itself.
}

# job "hecate-redis", 004:1157-1228; compose 004:257-270
app "redis" {
  image   = "redis:7.4-alpine" # seeds say "redis:alpine" (004:1190); pinned
  service = "redis-authentik"  # 004:1214
  runs_on = server.db
  rollout = rollout.rolling

  # 004:1162-1166: "^hecate-(cache|db)-" hosts; the spec has no cache server.
  constraint {
    attribute = "$${attr.unique.hostname}"
    operator  = "regexp"
    value     = "^cybermonkey-${env.name}-(cache|db)-[0-9]+$"
  }

  command = "redis-server" # 004:1194-1200
  args = ["--save", "60", "1", "--loglevel", "warning",
    "--maxmemory", "512mb", "--maxmemory-policy", "allkeys-lru"]

  port "redis" { to = 6379, static = 6379 }                  # 004:1180-1183
  volume "data" { host = "redis-authentik", path = "/data" } # 004:1171-1175, 004:1203-1206
  # 004:1209-1210 gives 512 MB, the same as maxmemory; memory_max leaves room above it.
  resources { cpu = 250, memory = 512MiB, memory_max = 768MiB }

  # Consul tags, 004:1216
  tags = ["redis", "cache", "authentik"]
  # 004:1218-1224
  health "script" {
    command  = "redis-cli"
    args     = ["ping"]
    interval = 10s
    timeout  = 2s
  }
}

# job "hecate-authentik", 004:1239-1427; compose server/worker 004:272-331.
# The worker alone gets the docker socket and runs as root (004:310-318,
# 004:1389-1396): Authentik's docker outpost integration manages containers
# through it. The server mounts neither.
app "authentik" {
  service    = "authentik-server" # 004:1358; Caddy looked it up by this name, 004:806
  runs_on    = server.app
  count      = 1 # 004:1262
  rollout    = rollout.rolling
  depends_on = [app.postgres, app.redis] # compose depends_on, 004:292-296

  # 004:1244-1248: application nodes ("^hecate-app-"), in eosc's host names.
  constraint {
    attribute = "$${attr.unique.hostname}"
    operator  = "regexp"
    value     = "^cybermonkey-${env.name}-app-[0-9]+$"
  }

  port "http" { to = 9000 } # 004:1267-1275, pillar 004:444-446
  port "https" { to = 9443 }
  port "metrics" { to = 9300 }

  # /media is shared by server and worker (004:284, 004:319, 004:1288, 004:1390).
  volume "media" { host = "authentik-media", path = "/media" }
  # The node's docker socket as a host volume (004:316), for the worker only.
  # eosc:allow W0505 -- the worker's docker outpost integration needs the socket (004:310-312); the server task does not mount it
  volume "docker" { host = "docker-sock", host_path = "/var/run/docker.sock", path = "/var/run/docker.sock" }

  # Consul tags, 004:1360
  tags = ["authentik", "identity-provider", "hecate-route"]
  # 004:1367-1376, the JSON its API answers with
  health "http" {
    port     = "http"
    path     = "/api/v3/root/config/"
    header   = { Accept = "application/json" }
    interval = 30s
    timeout  = 10s
  }

  task "server" {
    image   = "ghcr.io/goauthentik/server:${var.authentik_version}"
    command = "server"                     # 004:275, 004:1285
    ports   = ["http", "https", "metrics"] # 004:1284
    resources { cpu = 750, memory = 1GiB } # 004:1352-1355
    volume_mount "media" {}                # 004:284, 004:1288
    # Blueprints rendered into the task directory, 004:1290, 004:1334-1345.
    mount { source = "local/blueprints", path = "/blueprints/custom", read_only = true }
    # The blueprint itself, 004:1336-1345.
    template "local/blueprints/initial-setup.yaml" {
      data = <<EOT
# Custom blueprint for initial setup
version: 1
metadata:
  name: cybermonkey-initial-setup
entries:
  - model: authentik_core.application
    slug: helen-app
    name: Helen Application
    provider: 4
EOT
    }
    # Env of 004:1297-1319. Consul DNS names stand in for the consul-template
    # lookups of 004:1298-1308 (postgres and redis ports are static).
    # 004:1318-1319 (AUTHENTIK_METRICS__*) are not Authentik settings; it serves
    # metrics on 9300 by default.
    env = {
      AUTHENTIK_POSTGRESQL__HOST         = "postgres-authentik.service.consul"
      AUTHENTIK_POSTGRESQL__PORT         = "5432"
      AUTHENTIK_POSTGRESQL__NAME         = "authentik"
      AUTHENTIK_POSTGRESQL__USER         = "authentik"
      AUTHENTIK_REDIS__HOST              = "redis-authentik.service.consul"
      AUTHENTIK_REDIS__PORT              = "6379"
      AUTHENTIK_ERROR_REPORTING__ENABLED = "false"
      AUTHENTIK_LOG_LEVEL                = "info"
      AUTHENTIK_EMAIL__USE_TLS           = "true"
    }
    secrets = {
      AUTHENTIK_SECRET_KEY           = secret.authentik_secret_key
      AUTHENTIK_BOOTSTRAP_TOKEN      = secret.authentik_bootstrap_token # read on first start only
      AUTHENTIK_POSTGRESQL__PASSWORD = secret.authentik_db_password
      AUTHENTIK_EMAIL__HOST          = secret.authentik_email_host
      AUTHENTIK_EMAIL__PORT          = secret.authentik_email_port
      AUTHENTIK_EMAIL__USERNAME      = secret.authentik_email_username
      AUTHENTIK_EMAIL__PASSWORD      = secret.authentik_email_password
      AUTHENTIK_EMAIL__FROM          = secret.authentik_email_from
    }
  }

  # "Same environment as server", 004:1399-1405
  task "worker" {
    image   = "ghcr.io/goauthentik/server:${var.authentik_version}"
    command = "worker"                       # 004:302, 004:1387
    resources { cpu = 500, memory = 512MiB } # 004:1407-1410
    # root as the seed has it (004:318, 004:1395): the socket is root's, and
    # the worker fixes the ownership of /media (004:313-315). W0505 on the
    # socket volume stays (allowed above, with the reason).
    user = "root"
    volume_mount "media" {}  # 004:319, 004:1390
    volume_mount "docker" {} # 004:316, 004:1392
    env = {
      AUTHENTIK_POSTGRESQL__HOST         = "postgres-authentik.service.consul"
      AUTHENTIK_POSTGRESQL__PORT         = "5432"
      AUTHENTIK_POSTGRESQL__NAME         = "authentik"
      AUTHENTIK_POSTGRESQL__USER         = "authentik"
      AUTHENTIK_REDIS__HOST              = "redis-authentik.service.consul"
      AUTHENTIK_REDIS__PORT              = "6379"
      AUTHENTIK_ERROR_REPORTING__ENABLED = "false"
      AUTHENTIK_LOG_LEVEL                = "info"
      AUTHENTIK_EMAIL__USE_TLS           = "true"
    }
    secrets = {
      AUTHENTIK_SECRET_KEY           = secret.authentik_secret_key
      AUTHENTIK_BOOTSTRAP_TOKEN      = secret.authentik_bootstrap_token # read on first start only
      AUTHENTIK_POSTGRESQL__PASSWORD = secret.authentik_db_password
      AUTHENTIK_EMAIL__HOST          = secret.authentik_email_host
      AUTHENTIK_EMAIL__PORT          = secret.authentik_email_port
      AUTHENTIK_EMAIL__USERNAME      = secret.authentik_email_username
      AUTHENTIK_EMAIL__PASSWORD      = secret.authentik_email_password
      AUTHENTIK_EMAIL__FROM          = secret.authentik_email_from
    }
  }
}

# coturn, compose 004:203-235, pillar 004:424-433, ports of the proxy job 004:707-709.
app "coturn" {
  image   = "coturn/coturn:4.6.2-alpine" # seeds say "coturn/coturn" (004:204); pinned
  runs_on = server.edge

  rollout = rollout.rolling

  port "stun" { static = 3478, protocol = "both" }     # 004:208-209, 004:430
  port "stun_tls" { static = 5349, protocol = "both" } # 004:210-211, 004:431
  # The relay range, 004:212, pillar 004:432-433: Nomad reserves each port.
  port "relay" { static = "49160-49200", protocol = "udp" }
  volume "certs" { host = "coturn-certs", path = "/etc/coturn/certs", read_only = true } # 004:219
  resources { cpu = 250, memory = 256MiB }
  health "tcp" { port = "stun", interval = 30s, timeout = 5s }

  env = {
    DETECT_EXTERNAL_IP   = "yes" # 004:214-217
    DETECT_RELAY_IP      = "yes"
    DETECT_EXTERNAL_IPV6 = "yes"
    DETECT_RELAY_IPV6    = "yes"
  }
  # The secret reaches turnserver through the environment. The image's
  # entrypoint expands $VARS in its arguments, so the argument below names the
  # variable, never the value (was a literal at 004:232).
  secrets = { TURN_STATIC_AUTH_SECRET = secret.coturn_static_auth_secret }

  command = "turnserver" # 004:222-233
  args = [
    "--listening-port=3478",
    "--tls-listening-port=5349",
    "--listening-ip=0.0.0.0",
    "--realm=cybermonkey.dev", # 004:426
    "--fingerprint",
    "--no-cli",
    "--min-port=49160",
    "--max-port=49200",
    "--log-file=stdout", # was /var/log/coturn.log; Nomad collects stdout
    "--cert=/etc/coturn/certs/hecate.fullchain.pem",
    "--pkey=/etc/coturn/certs/hecate.privkey.pem",
    "--use-auth-secret",
    "--static-auth-secret=$TURN_STATIC_AUTH_SECRET",
  ]
}

# Helen (the Hugo site). In Nomad as "helen-web" (000:629-824); this replaces
# the nginx Tailscale bridge to the local container (004:1436-1549).
app "helen" {
  image   = "${project.registry}/helen:${var.version}" # 000:191, 000:237
  service = "helen-web"                                # 000:693; the Jenkinsfile checks this name (000:869)
  count   = var.replicas
  runs_on = server.app
  rollout = rollout.canary

  # 000:686-688 (Dockerfile EXPOSE 80, 000:387): a dynamic host port, as in
  # the seed; Caddy finds the stable and canary instances through Consul SRV.
  port "http" { to = 80 }
  resources { cpu = 500, memory = 256MiB, memory_max = 512MiB }    # 000:295-298
  health "http" { path = "/health", interval = 30s, timeout = 5s } # 000:706-711, 000:311-313
  env = { ENVIRONMENT = env.name, LOG_LEVEL = "info" }             # 000:771-775

  # 000:676-681: three restarts in 5m, 30s apart, then fail.
  restart {
    attempts = 3
    interval = 5m
    delay    = 30s
    mode     = "fail"
  }
  # 000:803-806: 100 MB, migrated with the allocation. The seed's periodic
  # block (000:811-815, with its time zone) sits on this service job, where
  # Nomad refuses it; a batch app with a `schedule` takes `time_zone`.
  ephemeral_disk         = 100MiB
  ephemeral_disk_migrate = true
  # Consul KV values as environment variables, 000:779-787.
  template "secrets/.env" {
    data = <<EOT
# This could contain dynamic configuration
ANALYTICS_ID={{ key "helen/config/analytics_id" }}
EOT
    env  = true
  }
  # No `vault` block: the seed's (000:795-799) reads nothing, as the template
  # above reads Consul KV only (a `vault` here is W0508), and its `policies`
  # is Nomad's deprecated token flow (E0202; a `role` names the JWT role).
}

# --------------------------------------------------------------------------
# Upstreams: backends Nomad does not run (the Caddyfile's reverse_proxy targets)
# --------------------------------------------------------------------------

upstream "nextcloud" { targets = ["100.65.138.128:11000"] }    # 004:86
upstream "grafana" { targets = ["100.65.138.128:8069"] }       # 004:91
upstream "jenkins" { targets = ["100.65.138.128:8059"] }       # 004:96, 004:1583-1584
upstream "minio_console" { targets = ["100.65.138.128:8123"] } # 004:101
upstream "minio_api" { targets = ["100.65.138.128:9123"] }     # 004:106
upstream "persephone" { targets = ["100.69.147.69:8123"] }     # 004:111
upstream "u_page" { targets = ["100.65.138.128:8117"] }        # 004:139

# --------------------------------------------------------------------------
# Streams: the nginx layer-4 proxies of compose 004:172-201 and pillar
# 004:406-422 (nginx.tcp_proxies), run by the proxy job on the edge nodes.
# --------------------------------------------------------------------------

# Wazuh agent registration (authd), 004:409-411; proxy job 004:938-950.
stream "wazuh-registration" {
  protocol        = "tcp"
  listen          = 1515
  target          = ["100.88.163.85:1515"]
  connect_timeout = 30s
  timeout         = 300s
}

# Wazuh agent events, 004:413-416 (protocol: udp); proxy job 004:952-965.
stream "wazuh-agents" {
  protocol = "udp"
  listen   = 1514
  target   = ["100.88.163.85:1514"]
  timeout  = 60s
}

# Wazuh manager API, 004:418-420. Only from the private ranges the
# operators use (the API has its own login, but need not face the internet).
stream "wazuh-api" {
  listen = 55000
  target = ["100.88.163.85:55000"]
  allow  = ["10.0.0.0/8", "100.64.0.0/10"]
}

# Jenkins inbound agents, 004:421-422, compose 004:199; proxy job 004:967-977.
stream "jenkins-agent" {
  listen  = 50000
  target  = ["100.65.138.128:50000"]
  timeout = 600s
}

# Wazuh dashboard with its self-signed certificate, 004:129-134, pillar 004:397.
# tls_skip_verify is the user's real need today; eosc warns about it, and
# the allow below accepts that one finding with its reason.
upstream "wazuh" {
  targets = ["100.88.163.85:443"]
  tls     = true
  # eosc:allow W0501 -- the Wazuh dashboard serves a self-signed certificate (004:129-134) whose CA is not distributed yet
  tls_skip_verify = true
}

# --------------------------------------------------------------------------
# Middleware and auth
# --------------------------------------------------------------------------

# The (cybermonkey_common) snippet, 004:45-64: import security, encode gzip and
# five headers. (Permissions-Policy and Content-Security-Policy are commented
# out in the user's file, 004:60, 004:62, and stay out.) Its JSON INFO access
# log (004:50-53) is the default log, which the project's `log` writes to
# /var/log/caddy/access.log (a `log {}` here would send it to stderr, as the
# snippet's does). The Nomad version's rate limit (004:794-797) needs a
# Caddy built with mholt/caddy-ratelimit, which this deployment does not run.
middleware "common" {
  use    = [middleware.security]
  encode = ["gzip"]
  headers = {
    "X-Frame-Options"           = "SAMEORIGIN"
    "X-Content-Type-Options"    = "nosniff"
    "Strict-Transport-Security" = "max-age=31536000; includeSubDomains; preload"
    "Referrer-Policy"           = "strict-origin-when-cross-origin"
    "X-XSS-Protection"          = "1; mode=block"
  }
}

# Authentik forward auth through its embedded outpost on hera's server.
# Group names from the user's own examples, 004:1725, 004:1886.
auth "staff" {
  provider = "authentik"
  outpost  = app.authentik.port.http
  groups   = ["employees", "contractors"]
  token    = secret.authentik_bootstrap_token # the auth root's API token
}

auth "admins" {
  provider = "authentik"
  outpost  = app.authentik.port.http
  groups   = ["admins"]
  token    = secret.authentik_bootstrap_token # the auth root's API token
}

# --------------------------------------------------------------------------
# Routes: the ten live sites of the Caddyfile, in its order.
# Commented-out sites (collaborate 004:79-82, persephoneapi 004:114-117) stay out.
# --------------------------------------------------------------------------

# Authentik itself: no forward auth in front of the identity provider. 004:66-77
# Balancing and passive health of the Nomad version, 004:815-821 (its active
# health_uri is the app's own Nomad check: Caddy does not probe Consul's
# instances, W0516).
route "hera.cybermonkey.dev" {
  to              = app.authentik.port.http
  middleware      = [middleware.common]
  lb_policy       = "round_robin" # 004:820
  lb_try_duration = 5s            # 004:821
  fail_duration   = 10s           # 004:816
  max_fails       = 3             # 004:817
  # 200: the same endpoint its health check asks
  verify { path = "/api/v3/root/config/" }
  log { file = "/var/log/caddy/hera-auth.log", level = "DEBUG" } # 004:70-74
}

# Nextcloud has its own login, and its desktop/mobile (WebDAV) clients cannot
# pass forward auth. 004:84-87
route "cloud.cybermonkey.dev" {
  to         = upstream.nextcloud
  middleware = [middleware.common]
  verify { path = "/status.php" } # Nextcloud's status endpoint: 200 without a login
}

# Grafana. 004:89-92
route "observe.cybermonkey.dev" {
  to         = upstream.grafana
  middleware = [middleware.common]
  auth       = auth.staff
}

# Jenkins. 004:94-97. The UI is for admins only...
route "jenkins.cybermonkey.dev" {
  to         = upstream.jenkins
  middleware = [middleware.common]
  auth       = auth.admins
}

# ...but GitHub's push webhook (githubPush(), 000:846) cannot log in to Authentik.
route "jenkins.cybermonkey.dev" {
  path       = "/github-webhook/*"
  to         = upstream.jenkins
  middleware = [middleware.common]
  # The GitHub plugin answers a GET of its hook 405 ("Method POST required"):
  # Jenkins is up and the path reaches it.
  verify { status = 405 }
}

# MinIO console. 004:99-102
route "s3.cybermonkey.dev" {
  to         = upstream.minio_console
  middleware = [middleware.common]
  auth       = auth.admins
}

# MinIO S3 API: clients sign requests themselves, so no forward auth. 004:104-107
route "s3api.cybermonkey.dev" {
  to         = upstream.minio_api
  middleware = [middleware.common]
  verify { path = "/minio/health/live" } # MinIO's liveness endpoint: 200
}

# Persephone's MinIO console. 004:109-112
route "persephone.cybermonkey.dev" {
  to         = upstream.persephone
  middleware = [middleware.common]
  auth       = auth.admins
}

# Wazuh dashboard (Delphi), a security console: admins only. 004:119-135
route "delphi.cybermonkey.dev" {
  to         = upstream.wazuh
  middleware = [middleware.common]
  auth       = auth.admins
  log { file = "/var/log/caddy/delphi-wazuh.log", level = "DEBUG" } # 004:123-127
}

# U page. 004:137-140
route "u.cybermonkey.dev" {
  to         = upstream.u_page
  middleware = [middleware.common]
}

# Helen, the public site at the apex. 004:142-145
# The deployment verifies it as the seeds do (000:269-277, 000:939-948): the
# health endpoint answers 200 and the page itself names Helen. The Nomad
# version's headers for the local service, 004:837-839. (Its fallback to the
# Tailscale address, 004:830-834, cannot join Helen's canary split, E0352.)
route "cybermonkey.dev" {
  to         = app.helen
  middleware = [middleware.common]
  header_up {
    set = {
      "X-Forwarded-Source" = "hecate-cloud" # 004:838
      "X-Original-Host"    = "{host}"       # 004:839
    }
  }
  verify { path = "/health", status = 200 }
  verify {
    path          = "/"
    body_contains = "Helen"
    headers       = { "Content-Type" = "text/html" }
  }
}

# --------------------------------------------------------------------------
# DNS (Hetzner DNS; 004:1649, 004:1838). The apex carries the edge addresses; every
# subdomain is a CNAME to the apex (no CNAME at the apex or beside another record).
# The seeds show no MX or TXT records for this zone, so there are none here.
# --------------------------------------------------------------------------

# The zone is live at Hetzner already and both environments write into it
# (existing = true: read, never created or destroyed by either); their
# records differ through staging's host_suffix.
dns "cybermonkey.dev" {
  existing = true
  record "@" { type = "A", value = server.edge.ipv4, ttl = 300 } # TTL 300: 004:1729
  record "@" { type = "AAAA", value = server.edge.ipv6, ttl = 300 }
  record "hera" { type = "CNAME", value = "cybermonkey.dev." }
  record "cloud" { type = "CNAME", value = "cybermonkey.dev." }
  record "observe" { type = "CNAME", value = "cybermonkey.dev." }
  record "jenkins" { type = "CNAME", value = "cybermonkey.dev." }
  record "s3" { type = "CNAME", value = "cybermonkey.dev." }
  record "s3api" { type = "CNAME", value = "cybermonkey.dev." }
  record "persephone" { type = "CNAME", value = "cybermonkey.dev." }
  record "delphi" { type = "CNAME", value = "cybermonkey.dev." }
  record "u" { type = "CNAME", value = "cybermonkey.dev." }
}

# --------------------------------------------------------------------------
# Pipeline: Helen's Jenkinsfile (000:831-1029): agent any, runs on main
# (githubPush, 000:846), deploys staging then (after the approval gate)
# production, and posts to the "deployments" channel (000:994, 000:1013).
# --------------------------------------------------------------------------

pipeline "deploy" {
  agent        = "any"
  branch       = "main"
  environments = [environment.staging, environment.production]
  notify       = "deployments"
  # Jenkins credential ids (not secrets) bound to environment variables, 000:838-840
  credentials = { SALT_API_CREDS = "salt-api-credentials", DOCKER_REGISTRY = "docker-registry-creds" }
}
