# E0307: `runs_on` names a server; `app.db` is an app.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

app "db" {
  image = "postgres:16.4-alpine"
  port "db" { to = 5432 }
  health "tcp" {}
}

app "web" {
  image   = "nginx:1.27-alpine"
  runs_on = app.db
  port "http" { to = 80 }
  health "tcp" {}
}
