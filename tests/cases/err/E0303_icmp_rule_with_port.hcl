# An icmp rule with a port copied from the rule above.

project "shop" {
  datacenters = ["dc1"]
  acme_email  = "ops@example.com"
}

environment "production" {}

firewall "edge" {
  rule "r" {
    protocol = "icmp"
    port     = 8
    from     = ["0.0.0.0/0"]
  }
}
