# --- E0337_unclosed_action
# Error: E0337 16:10
# E0337: an inline `{{` that never closes: the error points at it.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
secret "db_password" {
  vault = "secret/hecate/db"
}
app "web" {
  image = "nginx:1.27.3"
  port "http" { to = 80 }
  health "tcp" {}
  template "local/site.conf" {
    data = <<EOT
server {
  set $x {{ not closed;
}
EOT
  }
}

# --- E0337_unterminated_string
# Error: E0337 16:14
# E0337: a string inside an action that never ends.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
secret "db_password" {
  vault = "secret/hecate/db"
}
app "web" {
  image = "nginx:1.27.3"
  port "http" { to = 80 }
  health "tcp" {}
  template "local/site.conf" {
    data = <<-EOT
      ok {{ .Port }}
      {{ key "web/x }}
    EOT
  }
}

# --- E0337_empty_action
# Error: E0337 14:15
# E0337: an empty action.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
secret "db_password" {
  vault = "secret/hecate/db"
}
app "web" {
  image = "nginx:1.27.3"
  port "http" { to = 80 }
  health "tcp" {}
  template "local/site.conf" {
    data = "a {{}} b\n"
  }
}

# --- E0338_undeclared_secret
# Error: E0338 15:16
# E0338: a secret path no secret declares (did you mean).
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
secret "db_password" {
  vault = "secret/hecate/db"
}
app "web" {
  image = "nginx:1.27.3"
  port "http" { to = 80 }
  health "tcp" {}
  template "secrets/db.env" {
    data = <<EOT
{{ with secret "secret/hecate/dbb" }}PW={{ .Data.data.value }}{{ end }}
EOT
    env  = true
  }
}

# --- E0338_computed_secret_path
# Error: E0338 15:9
# E0338: a secret path that is not a literal.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
secret "db_password" {
  vault = "secret/hecate/db"
}
app "web" {
  image = "nginx:1.27.3"
  port "http" { to = 80 }
  health "tcp" {}
  template "secrets/db.env" {
    data = <<EOT
{{ with secret (printf "secret/%s" "db") }}PW={{ .Data.data.value }}{{ end }}
EOT
    env  = true
  }
}

# --- E0339_data_and_source
# Error: E0339 15:14
# E0339: both data and source.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
secret "db_password" {
  vault = "secret/hecate/db"
}
app "web" {
  image = "nginx:1.27.3"
  port "http" { to = 80 }
  health "tcp" {}
  template "local/site.conf" {
    data   = "x\n"
    source = "templates/site.conf.tpl"
  }
}

# --- E0339_missing_source
# Error: E0339 14:14
# E0339: a source file that does not exist.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
secret "db_password" {
  vault = "secret/hecate/db"
}
app "web" {
  image = "nginx:1.27.3"
  port "http" { to = 80 }
  health "tcp" {}
  template "local/site.conf" {
    source = "templates/nope.tpl"
  }
}

# --- E0339_source_outside
# Error: E0339 14:14
# E0339: a source above the project.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
secret "db_password" {
  vault = "secret/hecate/db"
}
app "web" {
  image = "nginx:1.27.3"
  port "http" { to = 80 }
  health "tcp" {}
  template "local/site.conf" {
    source = "../../etc/passwd"
  }
}

# --- E0339_no_text
# Error: E0339 13:3
# E0339: neither data nor source.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
secret "db_password" {
  vault = "secret/hecate/db"
}
app "web" {
  image = "nginx:1.27.3"
  port "http" { to = 80 }
  health "tcp" {}
  template "local/site.conf" {
    perms = "0644"
  }
}

# --- E0340_signal_missing
# Error: E0340 15:19
# E0340: change_mode signal without a signal.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
secret "db_password" {
  vault = "secret/hecate/db"
}
app "web" {
  image = "nginx:1.27.3"
  port "http" { to = 80 }
  health "tcp" {}
  template "local/site.conf" {
    data        = "x\n"
    change_mode = "signal"
  }
}

# --- E0340_unknown_signal
# Error: E0340 16:21
# E0340: a misspelt signal.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
secret "db_password" {
  vault = "secret/hecate/db"
}
app "web" {
  image = "nginx:1.27.3"
  port "http" { to = 80 }
  health "tcp" {}
  template "local/site.conf" {
    data          = "x\n"
    change_mode   = "signal"
    change_signal = "SIGHUPP"
  }
}

# --- E0325_env_template_signal
# Error: E0325 15:5
# E0325: an env template cannot be signalled.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
secret "db_password" {
  vault = "secret/hecate/db"
}
app "web" {
  image = "nginx:1.27.3"
  port "http" { to = 80 }
  health "tcp" {}
  template "secrets/x.env" {
    data          = "A=1\n"
    env           = true
    change_mode   = "signal"
    change_signal = "SIGHUP"
  }
}

# --- W0508_signal_without_signal_mode
# Warning: W0508 15:21
# W0508: change_signal without signal mode.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
secret "db_password" {
  vault = "secret/hecate/db"
}
app "web" {
  image = "nginx:1.27.3"
  port "http" { to = 80 }
  health "tcp" {}
  template "local/site.conf" {
    data          = "x\n"
    change_signal = "SIGHUP"
  }
}

# --- E0342_perms_not_octal
# Error: E0342 15:13
# E0342: perms with a 0o prefix.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
secret "db_password" {
  vault = "secret/hecate/db"
}
app "web" {
  image = "nginx:1.27.3"
  port "http" { to = 80 }
  health "tcp" {}
  template "local/site.conf" {
    data  = "x\n"
    perms = "0o644"
  }
}

# --- E0342_perms_too_large
# Error: E0342 15:13
# E0342: perms beyond 7777.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
secret "db_password" {
  vault = "secret/hecate/db"
}
app "web" {
  image = "nginx:1.27.3"
  port "http" { to = 80 }
  health "tcp" {}
  template "local/site.conf" {
    data  = "x\n"
    perms = "17777"
  }
}

# --- E0343_same_delimiters
# Error: E0343 16:23
# E0343: the same left and right delimiter.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
secret "db_password" {
  vault = "secret/hecate/db"
}
app "web" {
  image = "nginx:1.27.3"
  port "http" { to = 80 }
  health "tcp" {}
  template "local/site.conf" {
    data            = "x\n"
    left_delimiter  = "[["
    right_delimiter = "[["
  }
}

# --- E0343_blank_delimiter
# Error: E0343 15:22
# E0343: a delimiter with a blank.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
secret "db_password" {
  vault = "secret/hecate/db"
}
app "web" {
  image = "nginx:1.27.3"
  port "http" { to = 80 }
  health "tcp" {}
  template "local/site.conf" {
    data           = "x\n"
    left_delimiter = "< <"
  }
}

# --- E0344_same_destination
# Error: E0344 16:12
# E0344: two templates render one file.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
secret "db_password" {
  vault = "secret/hecate/db"
}
app "web" {
  image = "nginx:1.27.3"
  port "http" { to = 80 }
  health "tcp" {}
  template "local/site.conf" {
    data = "x\n"
  }
  template "local/site.conf" {
    data = "y\n"
  }
}

# --- E0344_eosc_secrets_file
# Error: E0344 14:12
# E0344: a template over eosc's own secrets file.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
secret "db_password" {
  vault = "secret/hecate/db"
}
app "web" {
  image   = "nginx:1.27.3"
  port "http" { to = 80 }
  health "tcp" {}
  secrets = { DB_PASSWORD = secret.db_password }
  template "secrets/web.env" {
    data = "MODE=fast\n"
    env  = true
  }
}

# --- E0345_env_line_not_a_name
# Error: E0345 16:1
# E0345: an env line with a dash in its name.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
secret "db_password" {
  vault = "secret/hecate/db"
}
app "web" {
  image = "nginx:1.27.3"
  port "http" { to = 80 }
  health "tcp" {}
  template "secrets/kv.env" {
    data = <<EOT
# Consul KV
ANALYTICS-ID={{ key "web/analytics_id" }}
EOT
    env  = true
  }
}

# --- E0336_template_destination
# Error: E0336 13:12
# E0336: a destination outside the task directory.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
secret "db_password" {
  vault = "secret/hecate/db"
}
app "web" {
  image = "nginx:1.27.3"
  port "http" { to = 80 }
  health "tcp" {}
  template "/etc/nginx/nginx.conf" {
    data = "x\n"
  }
}

# --- W0514_unknown_service
# Warning: W0514 19:12
# W0514: a Consul service no app registers.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
secret "db_password" {
  vault = "secret/hecate/db"
}
app "db" {
  image = "postgres:16.4"
  port "pg" { to = 5432 }
  health "tcp" {}
}
app "web" {
  image = "nginx:1.27.3"
  port "http" { to = 80 }
  health "tcp" {}
  template "local/upstream.conf" {
    data = "{{ range service \"dbb\" }}server {{ .Address }}:{{ .Port }};{{ end }}\n"
  }
}

# --- E0337_unknown_function
# Error: E0337 14:21
# E0337: a function Go would not find.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
secret "db_password" {
  vault = "secret/hecate/db"
}
app "web" {
  image = "nginx:1.27.3"
  port "http" { to = 80 }
  health "tcp" {}
  template "local/site.conf" {
    data = "host {{ hostname }}\n"
  }
}
