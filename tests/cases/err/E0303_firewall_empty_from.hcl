# A firewall rule whose source list was emptied.

project "shop" {
  datacenters = ["dc1"]
  acme_email  = "ops@example.com"
}

environment "production" {}

firewall "edge" {
  rule "r" {
    protocol = "tcp"
    port     = 443
    from     = []
  }
}
