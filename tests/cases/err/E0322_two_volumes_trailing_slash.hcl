# The same mount path twice, once with a trailing slash.

project "shop" {
  datacenters = ["dc1"]
  acme_email  = "ops@example.com"
}

environment "production" {}

server "web" {
  type     = "cx22"
  location = "nbg1"
  image    = "ubuntu-24.04"
}

app "postgres" {
  image   = "postgres:16.4-alpine"
  runs_on = server.web

  port "pg" { to = 5432 }
  resources { cpu = 200, memory = 256MiB }
  health "tcp" {}

  volume "data" {
    host = "pg-data"
    path = "/var/lib/postgresql/data"
  }
  volume "restore" {
    host = "pg-restore"
    path = "/var/lib/postgresql/data/"
    read_only = true
  }
}
