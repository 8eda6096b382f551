// The same N apps as scripts/perf/jinja/render.py, the jsonnet way: the
// Salt pillar (YAML, parsed by std.parseYaml) through one jsonnet program
// into the same files (nomad/<app>.nomad, caddy/Caddyfile,
// terraform/dns.tf), for scripts/perf/compare.py:
//
//   jrsonnet -S -c -m OUT_DIR --no-trailing-newline \
//     --ext-str-file pillar=PILLAR render.jsonnet
//
// The text is the Jinja2 templates' byte for byte but for one thing that
// is jsonnet's own: an object's fields come out sorted, so each job's env
// lists its variables in name order (compare.py checks the files hold the
// same lines).
local hecate = std.parseYaml(std.extVar('pillar')).hecate;

local job(app) = |||
  job "%(name)s" {
    datacenters = %(datacenters)s
    region      = "%(region)s"
    type        = "service"

    update {
      max_parallel      = 1
      min_healthy_time  = "30s"
      healthy_deadline  = "5m"
      progress_deadline = "10m"
      auto_revert       = true
    }

    group "%(name)s" {
      count = %(count)d

      restart {
        attempts = 3
        interval = "5m"
        delay    = "30s"
        mode     = "fail"
      }

      network {
        port "http" {
          to = %(port)d
        }
      }

      service {
        name = "%(name)s"
        port = "http"
        tags = ["caddy-backend", "%(environment)s"]

        check {
          type     = "http"
          path     = "%(path)s"
          interval = "%(interval)s"
          timeout  = "%(timeout)s"
        }
      }

      task "%(name)s" {
        driver = "docker"

        config {
          image = "%(registry)s/%(name)s:%(version)s"
          ports = ["http"]
        }

        resources {
          cpu        = %(cpu)d
          memory     = %(memory)d
          memory_max = %(memory_max)d
        }

        env {%(env)s
        }
      }
    }
  }
||| % {
  name: app.name,
  datacenters: std.manifestJsonMinified(hecate.global.datacenters),
  region: hecate.global.region,
  count: app.count,
  port: app.container.port,
  environment: hecate.global.environment,
  path: app.container.health_check_path,
  interval: app.container.health_check_interval,
  timeout: app.container.health_check_timeout,
  registry: hecate.docker.registry,
  version: hecate.version,
  cpu: app.resources.cpu,
  memory: app.resources.memory,
  memory_max: app.resources.memory_max,
  env: std.join('', ['\n        %s = "%s"' % [k, app.env[k]] for k in std.objectFields(app.env)]),
};

local site(app) = |||

  %(domain)s {
      import common
      reverse_proxy {
          dynamic srv %(name)s.service.consul
      }
  }
||| % { domain: app.domain, name: app.name };

local record(app) = |||

  resource "hcloud_dns_record" "%(name)s" {
    zone_id = var.dns_zone_id
    name    = "%(name)s"
    value   = "%(zone)s."
    type    = "CNAME"
    ttl     = %(ttl)d
  }
||| % { name: app.name, zone: hecate.dns.zone, ttl: hecate.dns.ttl };

local caddyfile = |||
  {
      log {
          output file /var/log/caddy/access.log
          format json
          level INFO
      }
  }

  (security) {
      @blocked {
          header Cf-Worker *
          header Cf-Connecting-Ip *
          header Cf-Ray *
      }
      respond @blocked 404

      @scanners {
          path /wp-admin/* /wp-login.php /wordpress/* /.git/* /.env /phpmyadmin/*
          path /config.json /.DS_Store /info.php /phpinfo.php /test.php
          path /telescope/* /horizon/* /pulse/*
          path /.well-known/security.txt /.svn/* /.hg/*
          path /backup/* /old/* /temp/* /tmp/* /sql/*
          path /admin/* /manager/* /shell.php
          path_regexp (/(vendor|node_modules|bower_components)/|\.(sql|bak|backup|log|old|orig|original|save|swp|tmp)$)
      }
      respond @scanners 404

      @suspicious_agents {
          header_regexp User-Agent (?i)(bot|crawler|spider|scraper|scan|exploit|nikto|sqlmap|havij|acunetix)
          header User-Agent "Go-http-client/1.1"
      }
      abort @suspicious_agents
  }

  (common) {
      import security
  }
||| + std.join('', [site(a) for a in hecate.apps]) + '\n';

local dns = |||
  variable "dns_zone_id" {
    type = string
  }

  resource "hcloud_dns_record" "apex_a" {
    zone_id = var.dns_zone_id
    name    = "@"
    value   = "%(ipv4)s"
    type    = "A"
    ttl     = %(ttl)d
  }

  resource "hcloud_dns_record" "apex_aaaa" {
    zone_id = var.dns_zone_id
    name    = "@"
    value   = "%(ipv6)s"
    type    = "AAAA"
    ttl     = %(ttl)d
  }
||| % hecate.dns + std.join('', [record(a) for a in hecate.apps]) + '\n';

{
  ['nomad/' + app.name + '.nomad']: job(app)
  for app in hecate.apps
} + {
  'caddy/Caddyfile': caddyfile,
  'terraform/dns.tf': dns,
}
