# ok: records in an existing zone: apex A/AAAA from a server, MX, TXT (SPF, DMARC), CAA and a wildcard.
project "mail" {
  datacenters = ["dc1"]
}

environment "production" {}

server "mx" {
  type     = "cx22"
  location = "fsn1"
  image    = "debian-12"
}

dns "example.net" {
  existing = true
  ttl      = 3600
  record "@"      { type = "A",    value = server.mx.ipv4 }
  record "@"      { type = "AAAA", value = server.mx.ipv6 }
  record "mail"   { type = "A",    value = "192.0.2.25", ttl = 300 }
  record "@"      { type = "MX",   value = "10 mail.example.net." }
  record "@"      { type = "MX",   value = "20 backup-mx.example.org." }
  record "@"      { type = "TXT",  value = "v=spf1 mx -all" }
  record "_dmarc" { type = "TXT",  value = "v=DMARC1; p=reject; rua=mailto:dmarc@example.net" }
  record "@"      { type = "CAA",  value = "0 issue \"letsencrypt.org\"" }
  record "*.dev"  { type = "A",    value = "192.0.2.50" }
}
