# A SRV record with value "10 5 5060 sip.example.com".

project "shop" {
  datacenters = ["dc1"]
  acme_email  = "ops@example.com"
}

environment "production" {}

dns "example.com" {
  record "_sip._udp" {
    type  = "SRV"
    value = "10 5 5060 sip.example.com"
  }
}
