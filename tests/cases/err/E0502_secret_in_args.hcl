# E0502: `--static-auth-secret=...` puts a secret on the command line, visible in `ps`.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

app "coturn" {
  image   = "coturn/coturn:4.6.2-alpine"
  command = "turnserver"
  args    = ["--realm=example.com", "--static-auth-secret=s3cr3t-value"]
  port "stun" { to = 3478 }
  health "tcp" {}
}
