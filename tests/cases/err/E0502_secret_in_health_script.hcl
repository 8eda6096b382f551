# E0502: a script health check runs a command line too.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

app "db" {
  image = "postgres:16.4-alpine"
  port "db" { to = 5432 }
  health "script" {
    command = "pg_isready"
    args    = ["-U", "app", "--password=hunter2"]
  }
}
