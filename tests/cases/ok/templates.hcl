project "tpl" {
  datacenters = ["dc1"]
}

environment "production" {}

secret "db_password" {
  vault = "secret/tpl/db"
  key   = "password"
}

server "node" {
  type     = "cx22"
  location = "nbg1"
  image    = "ubuntu-24.04"
}

app "db" {
  image   = "postgres:16.4"
  runs_on = server.node
  port "pg" { to = 5432 }
  health "tcp" {}
  secrets = { POSTGRES_PASSWORD = secret.db_password }
}

app "web" {
  runs_on = server.node
  port "http" { to = 8080 }
  health "tcp" {}

  task "nginx" {
    image = "nginx:1.27.3"
    mount { source = "local/conf", path = "/etc/nginx/conf.d", read_only = true }

    # Inline text: `$${` is the spec's escape for a literal `${`.
    template "local/conf/site.conf" {
      data          = <<EOT
server {
  listen 8080;
  set $$${x} "50%{y} \"q\" \\ ";
  # {{/* a comment */}}
  {{- range service "db" }}
  proxy_pass http://{{ .Address }}:{{ .Port }};
  {{- end }}
}
EOT
      change_mode   = "signal"
      change_signal = "sighup"
      splay         = 10s
      perms         = "0640"
    }

    template "local/conf/upstream.conf" {
      source      = "templates/app.conf.tpl"
      change_mode = "noop"
    }

    # Consul KV values as environment variables (seed 000:783).
    template "secrets/kv.env" {
      data = <<EOT
# from Consul
ANALYTICS_ID={{ key "web/config/analytics_id" }}
MODE=fast
EOT
      env  = true
    }

    template "local/raw.txt" {
      data            = "[[ key \"web/motd\" ]] and {{ literal }} without a final newline"
      left_delimiter  = "[["
      right_delimiter = "]]"
    }
  }
}
