# E0502: `--flag value` passes the secret just like `--flag=value`.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

app "coturn" {
  image   = "coturn/coturn:4.6.2-alpine"
  command = "turnserver"
  args    = ["--realm", "example.com", "--static-auth-secret", "s3cr3t-value"]
  port "stun" { to = 3478 }
  health "tcp" {}
}
