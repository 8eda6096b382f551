# Three volumes, two of them on /config.

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

app "gitea" {
  image   = "gitea/gitea:1.22.3"
  runs_on = server.web

  port "http" { to = 3000 }
  resources { cpu = 200, memory = 256MiB }
  health "http" { path = "/health" }

  volume "data" {
    host = "gitea-data"
    path = "/data"
  }
  volume "config" {
    host = "gitea-config"
    path = "/config"
  }
  volume "secrets" {
    host = "gitea-secrets"
    path = "/config"
    read_only = true
  }
}
