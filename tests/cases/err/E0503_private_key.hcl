# E0503: a PEM private key pasted into the spec.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

app "web" {
  image = "nginx:1.27-alpine"
  env = {
    TLS_CERT_KEY_PEM = <<EOT
-----BEGIN PRIVATE KEY-----
MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7
-----END PRIVATE KEY-----
EOT
  }
  port "http" { to = 80 }
  health "tcp" {}
}
