# E0504: a high-entropy literal under an innocent name still looks like a credential.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

app "web" {
  image = "example/web:1.0.0"
  env   = { SENTRY_DSN_ID = "aZ3kQ9xT7mLp2VbR8wYc5NdH4jUe6FgS" }
  port "http" { to = 80 }
  health "tcp" {}
}
