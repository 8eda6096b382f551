# E0203: every secret referenced must be declared; `secret.db_pasword` is a typo.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

secret "db_password" {
  vault = "secret/demo/db_password"
}

app "web" {
  image   = "example/web:1.0.0"
  secrets = { DB_PASSWORD = secret.db_pasword }
  port "http" { to = 80 }
  health "tcp" {}
}
