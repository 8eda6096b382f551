# W0509: the only firewall of the edge servers lets in HTTP and HTTPS but not SSH: once applied, nobody can log in.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

firewall "public" {
  rule "http" { protocol = "tcp", port = 80, from = ["0.0.0.0/0", "::/0"] }
  rule "https" { protocol = "tcp", port = 443, from = ["0.0.0.0/0", "::/0"] }
}

server "edge" {
  type     = "cx22"
  location = "nbg1"
  image    = "ubuntu-24.04"
  firewall = [firewall.public]
}
