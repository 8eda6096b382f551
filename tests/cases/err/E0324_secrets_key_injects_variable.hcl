# err: a secrets key that would set LD_PRELOAD through the env template (E0324).
project "p" {}
environment "production" {}

secret "db" {
  vault = "secret/db"
}

app "web" {
  image   = "example/web:1.0.0"
  secrets = { "LD_PRELOAD=/tmp/evil.so\nDB_PASSWORD" = secret.db }
  port "http" { to = 80 }
  health "tcp" {}
}
