# The base spec of the generated hostile test (tests/it/hostile_fields.rs):
# every string field of the schema appears at least once as a slot: the
# field (block, attribute, place) and its valid value in double brackets
# (a `#n` after the place tells apart two slots of one field). The test writes each slot's valid value, or, one
# slot at a time, a hostile one.
project ⟦project||Label=hostile⟧ {
  datacenters   = [⟦project|datacenters|Item=dc1⟧]
  region        = ⟦project|region|Value=global⟧
  registry      = ⟦project|registry|Value=registry.example.com⟧
  vault         = ⟦project|vault|Value=https://vault.example.com:8200⟧
  acme_email    = ⟦project|acme_email|Value=ops@example.com⟧
  caddy_admin   = ⟦project|caddy_admin|Value=localhost:2019⟧
  nameservers   = [⟦project|nameservers|Item=ns1.example.net⟧, "ns2.example.net"]
  salt_targets  = { ⟦project|salt_targets|Key=controller⟧ = ⟦project|salt_targets|MapValue=roles:hecate-controller⟧ }
  caddy_version = ⟦project|caddy_version|Value=2.11⟧
  caddy_image   = ⟦project|caddy_image|Value=caddy:2.11-alpine⟧
  nginx_image   = ⟦project|nginx_image|Value=nginx:1.28-alpine⟧
  caddy_plugins = ["rate_limit"]
  log {
    file = ⟦project.log|file|Value=/var/log/caddy/access.log⟧
  }
  storage {
    root = ⟦project.storage|root|Value=/data/caddy⟧
  }
}

variable ⟦variable||Label=tier⟧ {
  type    = string
  default = "gold"
}

environment ⟦environment||Label=production⟧ {
  vars        = { ⟦environment|vars|Key=tier⟧ = "silver" }
  host_suffix = ⟦environment|host_suffix|Value=-live⟧
  region      = ⟦environment|region|Value=global⟧
}

secret ⟦secret||Label=db_password⟧ {
  vault = ⟦secret|vault|Value=secret/hecate/db⟧
  key   = ⟦secret|key|Value=password⟧
}

server ⟦server||Label=web⟧ {
  type     = ⟦server|type|Value=cx22⟧
  location = ⟦server|location|Value=nbg1⟧
  image    = ⟦server|image|Value=ubuntu-24.04⟧
  firewall = [firewall.fw]
  labels   = { ⟦server|labels|Key=tier⟧ = ⟦server|labels|MapValue=front⟧ }
}

firewall ⟦firewall||Label=fw⟧ {
  rule "ssh" {
    protocol = "tcp"
    port     = 22
    from     = ["10.0.0.0/8"]
  }
  rule ⟦firewall.rule||Label=web⟧ {
    protocol = "tcp"
    port     = 443
    from     = [⟦firewall.rule|from|Item=0.0.0.0/0⟧]
  }
}

app ⟦app||Label=web⟧ {
  image   = "registry.example.com/web:1.2.3"
  runs_on = server.web
  service = ⟦app|service|Value=web-svc⟧
  tags    = [⟦app|tags|Item=edge⟧]
  meta    = { ⟦app|meta|Key=domain⟧ = ⟦app|meta|MapValue=web.example.com⟧ }
  job_meta = { ⟦app|job_meta|Key=team⟧ = ⟦app|job_meta|MapValue=platform⟧ }
  constraint {
    attribute = ⟦app.constraint|attribute|Value=${attr.kernel.name}⟧
    value     = ⟦app.constraint|value|Value=linux⟧
  }
  affinity {
    attribute = ⟦app.affinity|attribute|Value=${node.datacenter}⟧
    value     = ⟦app.affinity|value|Value=dc1⟧
  }
  spread {
    attribute = ⟦app.spread|attribute|Value=${node.datacenter}⟧
    target ⟦app.spread.target||Label=dc1⟧ { percent = 100% }
  }
  port ⟦app.port||Label=http⟧ { to = 80 }
  health ⟦app.health||Label=http⟧ {
    path   = ⟦app.health|path|Value=/healthz⟧
    port   = ⟦app.health|port|Value=http⟧
    header = { ⟦app.health|header|Key=Accept⟧ = ⟦app.health|header|MapValue=application/json⟧ }
  }
  volume ⟦app.volume||Label=data⟧ {
    host = ⟦app.volume|host|Value=web-data⟧
    path = ⟦app.volume|path|Value=/srv/data⟧
  }
  mount {
    source = ⟦app.mount|source|Value=local/site⟧
    path   = ⟦app.mount|path|Value=/srv/site⟧
  }
  logging {
    type   = "journald"
    config = { ⟦app.logging|config|Key=tag⟧ = ⟦app.logging|config|MapValue=web⟧ }
  }
  template ⟦app.template||Label=local/site/index.html⟧ {
    data          = ⟦app.template|data|Value=listen 8080⟧
    change_mode   = "signal"
    change_signal = ⟦app.template|change_signal|Value=SIGHUP⟧
    perms         = ⟦app.template|perms|Value=0640⟧
  }
  template "local/site/other.conf" {
    source          = ⟦app.template|source|Value=templates/site.tpl⟧
    left_delimiter  = ⟦app.template|left_delimiter|Value=[[⟧
    right_delimiter = ⟦app.template|right_delimiter|Value=]]⟧
  }
  secrets = { SITE_TOKEN = secret.db_password }
  vault { role = ⟦app.vault|role|Value=web⟧ }
}

app "worker" {
  runs_on = server.web
  port "http" { to = 8080 }
  volume "spool" {
    host      = "worker-spool"
    path      = "/var/spool/worker"
    host_path = ⟦app.volume|host_path|Value=/srv/spool⟧
  }
  health "script" {
    command = ⟦app.health|command|Value=/bin/check⟧
    args    = [⟦app.health|args|Item=--quick⟧]
  }
  task ⟦app.task||Label=main⟧ {
    image   = ⟦app.task|image|Value=registry.example.com/worker:1.2.3⟧
    command = ⟦app.task|command|Value=/usr/bin/worker⟧
    args    = [⟦app.task|args|Item=--serve⟧]
    env     = { ⟦app.task|env|Key=MODE⟧ = ⟦app.task|env|MapValue=fast⟧ }
    secrets = { ⟦app.task|secrets|Key=DB_PASSWORD⟧ = secret.db_password }
    ports    = [⟦app.task|ports|Item=http⟧]
    user     = ⟦app.task|user|Value=worker⟧
    cap_add  = [⟦app.task|cap_add|Item=CHOWN⟧]
    cap_drop = [⟦app.task|cap_drop|Item=NET_RAW⟧]
    volume_mount ⟦app.task.volume_mount||Label=spool⟧ {
      path = ⟦app.task.volume_mount|path|Value=/srv/spool⟧
    }
    mount {
      source = ⟦app.task.mount|source|Value=alloc/data⟧
      path   = ⟦app.task.mount|path|Value=/srv/shared⟧
    }
    template ⟦app.task.template||Label=local/worker.conf⟧ {
      data          = ⟦app.task.template|data|Value=mode fast⟧
      change_mode   = "signal"
      change_signal = ⟦app.task.template|change_signal|Value=SIGUSR1⟧
      perms         = ⟦app.task.template|perms|Value=0600⟧
    }
    template "local/worker-other.conf" {
      source          = ⟦app.task.template|source|Value=templates/worker.tpl⟧
      left_delimiter  = ⟦app.task.template|left_delimiter|Value=<%⟧
      right_delimiter = ⟦app.task.template|right_delimiter|Value=%>⟧
    }
    logging {
      type   = "syslog"
      config = { ⟦app.task.logging|config|Key=tag⟧ = ⟦app.task.logging|config|MapValue=worker⟧ }
    }
    vault { role = ⟦app.task.vault|role|Value=worker⟧ }
  }
}

app "nightly" {
  type     = "batch"
  image    = "registry.example.com/nightly:1.2.3"
  runs_on  = server.web
  schedule = ⟦app|schedule|Value=0 3 * * *⟧
  time_zone = ⟦app|time_zone|Value=Australia/Perth⟧
}

upstream ⟦upstream||Label=legacy⟧ {
  targets = [⟦upstream|targets|Item=10.0.0.5:8080⟧]
  health {
    path = ⟦upstream.health|path|Value=/status⟧
  }
}

middleware ⟦middleware||Label=hdr⟧ {
  headers    = { ⟦middleware|headers|Key=X-Frame-Options⟧ = ⟦middleware|headers|MapValue=DENY⟧ }
  rate_limit = { events = 100, window = 1m, key = ⟦middleware|rate_limit|Field:key={remote_host}⟧ }
  log {
    file = ⟦middleware.log|file|Value=/var/log/caddy/mw.log⟧
  }
}

middleware "blk" {
  block ⟦middleware.block||Label=bots⟧ {
    headers           = [⟦middleware.block|headers|Item=X-Scanner⟧]
    paths             = [⟦middleware.block|paths|Item=/wp-admin/*⟧]
    path_regexp       = ⟦middleware.block|path_regexp|Value=^/\.git⟧
    query             = [⟦middleware.block|query|Item=debug⟧]
    user_agents       = [⟦middleware.block|user_agents|Item=sqlmap/1.7⟧]
    user_agent_regexp = ⟦middleware.block|user_agent_regexp|Value=(?i)nikto⟧
    respond           = 403
  }
}

auth ⟦auth||Label=sso⟧ {
  provider = "authentik"
  outpost  = upstream.legacy
  groups   = [⟦auth|groups|Item=admins⟧]
}

route ⟦route||Label=www.example.com⟧ {
  to         = app.web
  path       = ⟦route|path|Value=/api/*⟧
  middleware = [middleware.hdr, middleware.blk]
  auth       = auth.sso
  log {
    file = ⟦route.log|file|Value=/var/log/caddy/www.log⟧
  }
}

route "proxy.example.com" {
  to         = upstream.legacy
  middleware = [middleware.hdr] # its `log` is this route's (www has its own)
  lb_policy = "header"
  lb_field  = ⟦route|lb_field|Value=X-Session⟧
  health {
    path = ⟦route.health|path|Value=/ready⟧
  }
  header_up {
    set    = { ⟦route.header_up|set|Key=X-Source⟧ = ⟦route.header_up|set|MapValue=hecate {host}⟧ }
    add    = { ⟦route.header_up|add|Key=X-Via⟧ = ⟦route.header_up|add|MapValue=edge⟧ }
    delete = [⟦route.header_up|delete|Item=X-Debug⟧]
  }
  header_down {
    set    = { ⟦route.header_down|set|Key=X-Served-By⟧ = ⟦route.header_down|set|MapValue=hecate⟧ }
    add    = { ⟦route.header_down|add|Key=X-Edge⟧ = ⟦route.header_down|add|MapValue=1⟧ }
    delete = [⟦route.header_down|delete|Item=Server⟧]
  }
}

route "old.example.com" {
  redirect = ⟦route|redirect|Value=https://www.example.com/moved⟧
}

route "hello.example.com" {
  respond = 200
  body    = ⟦route|body|Value=hello⟧
  verify {
    path          = ⟦route.verify|path|Value=/⟧
    status        = 200
    body_contains = ⟦route.verify|body_contains|Value=hello⟧
    headers       = { ⟦route.verify|headers|Key=X-Served-By⟧ = ⟦route.verify|headers|MapValue=caddy⟧ }
  }
}

stream ⟦stream||Label=pg⟧ {
  listen = 5432
  target = ["10.0.0.7:5432"]
  allow  = [⟦stream|allow|Item=10.0.0.0/8⟧]
  deny   = [⟦stream|deny|Item=10.9.0.0/16⟧]
}

dns ⟦dns||Label=example.com⟧ {
  record "@" {
    type  = "A"
    value = server.web.ipv4
  }
  record ⟦dns.record||Label=www⟧ {
    type  = "CNAME"
    value = "example.com."
  }
  record "old" {
    type  = "CNAME"
    value = "example.com."
  }
  record "hello" {
    type  = "CNAME"
    value = "example.com."
  }
  record "txt" {
    type  = "TXT"
    value = ⟦dns.record|value|Value#txt=v=spf1 -all⟧
  }
  record "mail" {
    type  = "MX"
    value = ⟦dns.record|value|Value#mx=10 mx.example.net.⟧
  }
  record "cname" {
    type  = "CNAME"
    value = ⟦dns.record|value|Value#cname=www.example.com.⟧
  }
  record "v4" {
    type  = "A"
    value = ⟦dns.record|value|Value#a=192.0.2.10⟧
  }
  record "v6" {
    type  = "AAAA"
    value = ⟦dns.record|value|Value#aaaa=2001:db8::10⟧
  }
  record "caa" {
    type  = "CAA"
    value = ⟦dns.record|value|Value#caa=0 issue "letsencrypt.org"⟧
  }
  record "_sip._udp" {
    type  = "SRV"
    value = ⟦dns.record|value|Value#srv=10 5 5060 sip.example.net.⟧
  }
  record "sub" {
    type  = "NS"
    value = ⟦dns.record|value|Value#ns=ns1.example.net.⟧
  }
}

rollout ⟦rollout||Label=careful⟧ {
  strategy = "rolling"
}

pipeline ⟦pipeline||Label=deploy⟧ {
  agent       = ⟦pipeline|agent|Value=linux⟧
  branch      = ⟦pipeline|branch|Value=main⟧
  notify      = ⟦pipeline|notify|Value=deployments⟧
  credentials = { ⟦pipeline|credentials|Key=VAULT_TOKEN⟧ = ⟦pipeline|credentials|MapValue=vault-approle⟧ }
}
