# E0501: `DB_PASSWORD` looks like a secret but is written as a literal value.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

app "web" {
  image = "example/web:1.0.0"
  env   = { DB_HOST = "db.service.consul", DB_PASSWORD = "hunter2" }
  port "http" { to = 80 }
  health "tcp" {}
}
