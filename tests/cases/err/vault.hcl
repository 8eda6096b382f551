# --- E0202_vault_policies
# Error: E0202 8:5
# Warning: W0504 5:1
# E0202: the seed's `policies` (000:797) asks for a legacy token; a role replaces it.
project "demo" { datacenters = ["dc1"] }
environment "production" {}
secret "db_password" { vault = "secret/demo/db" }
app "web" {
  image = "nginx:1.27.3"
  vault {
    policies = ["helen-read"]
  }
  secrets = { DB_PASSWORD = secret.db_password }
}

# --- E0325_vault_change_mode_signal
# Error: E0325 8:25
# Warning: W0504 5:1
# E0325: the secrets are env lines; Nomad refuses signals for env templates.
project "demo" { datacenters = ["dc1"] }
environment "production" {}
secret "db_password" { vault = "secret/demo/db" }
app "web" {
  image   = "nginx:1.27.3"
  secrets = { DB_PASSWORD = secret.db_password }
  vault { change_mode = "signal" }
}

# --- E0202_vault_change_signal
# Error: E0202 8:33
# Warning: W0504 5:1
# E0202: no signal renews an environment.
project "demo" { datacenters = ["dc1"] }
environment "production" {}
secret "db_password" { vault = "secret/demo/db" }
app "web" {
  image   = "nginx:1.27.3"
  secrets = { DB_PASSWORD = secret.db_password }
  vault { change_mode = "noop", change_signal = "SIGHUP" }
}

# --- W0508_vault_without_secrets
# Warning: W0504 4:1
# Warning: W0508 6:3
# W0508: nothing of the task reads Vault.
project "demo" { datacenters = ["dc1"] }
environment "production" {}
app "web" {
  image = "nginx:1.27.3"
  vault { role = "web" }
}

# --- W0508_vault_change_mode_without_secrets
# Warning: W0504 5:1
# Warning: W0508 10:25
# W0508: a template reads the secret; its own change_mode governs it.
project "demo" { datacenters = ["dc1"] }
environment "production" {}
secret "db_password" { vault = "secret/demo/db" }
app "web" {
  image = "nginx:1.27.3"
  template "secrets/db.txt" {
    data = "{{ with secret \"secret/demo/db\" }}{{ .Data.data.value }}{{ end }}\n"
  }
  vault { change_mode = "noop" }
}

# --- E0314_vault_on_app_with_tasks
# Error: E0314 6:3
# Warning: W0504 5:1
# E0314: with task blocks, each task says how it reaches Vault.
project "demo" { datacenters = ["dc1"] }
environment "production" {}
secret "db_password" { vault = "secret/demo/db" }
app "web" {
  vault { role = "web" }
  task "nginx" {
    image   = "nginx:1.27.3"
    secrets = { DB_PASSWORD = secret.db_password }
  }
}

# --- E0314_template_on_app_with_tasks
# Error: E0314 5:3
# Warning: W0504 4:1
# E0314: a template on the app would be dropped; it belongs to a task.
project "demo" { datacenters = ["dc1"] }
environment "production" {}
app "web" {
  template "local/a.conf" { data = "a\n" }
  task "nginx" { image = "nginx:1.27.3" }
}

# --- E0205_vault_twice
# Error: E0205 9:3
# Warning: W0504 5:1
# E0205: one login per task.
project "demo" { datacenters = ["dc1"] }
environment "production" {}
secret "db_password" { vault = "secret/demo/db" }
app "web" {
  image   = "nginx:1.27.3"
  secrets = { DB_PASSWORD = secret.db_password }
  vault { role = "a" }
  vault { role = "b" }
}
