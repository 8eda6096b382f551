# A literal string in `secrets` instead of `secret.x`: refused, and neither
# diagnostic's snippet echoes the literal (blind corpus case 239).
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

app "db" {
  image   = "postgres:16.4"
  port "pg" { to = 5432 }
  health "tcp" {}
  secrets = { POSTGRES_PASSWORD = "hunter2-authentik" }
}
