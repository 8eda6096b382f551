# E0401: api depends on worker, worker on db, db on api: a dependency cycle, reported with its whole path.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

app "api" {
  image      = "example/api:1.0.0"
  depends_on = [app.worker]
  port "http" { to = 8080 }
  health "tcp" {}
}

app "worker" {
  image      = "example/worker:1.0.0"
  depends_on = [app.db]
  port "http" { to = 8081 }
  health "tcp" {}
}

app "db" {
  image      = "postgres:16.4-alpine"
  depends_on = [app.api]
  port "db" { to = 5432 }
  health "tcp" {}
}
