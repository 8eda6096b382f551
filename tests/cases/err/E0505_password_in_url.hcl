# err: a password inside a URL (E0505).
project "p" {}
environment "production" {}

app "web" {
  image = "example/web:1.0.0"
  env   = { DATABASE_URL = "postgres://app:hunter2@db/app" }
  port "http" { to = 80 }
  health "tcp" {}
}
