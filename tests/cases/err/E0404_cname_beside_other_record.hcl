# E0404: a name with a CNAME can have no other record; `www` has a CNAME and a TXT.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

dns "example.com" {
  record "@"   { type = "A",     value = "192.0.2.1" }
  record "www" { type = "CNAME", value = "example.com." }
  record "www" { type = "TXT",   value = "v=spf1 -all" }
}
