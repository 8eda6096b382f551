# --- W0509_ssh_on_udp_only
# Warning: W0509 6:10
# W0509: SSH is TCP; a rule for 22/udp keeps nobody in.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
firewall "admin" {
  rule "ssh" { protocol = "udp", port = 22, from = ["100.64.0.0/10"] }
}

# --- W0509_two_firewalls_neither_with_ssh
# Warning: W0509 6:10
# Warning: W0509 9:10
# W0509: a server with two firewalls, neither of which lets SSH in; each is reported.
project "demo" {
  datacenters = ["dc1"]
}
environment "production" {}
firewall "web" {
  rule "https" { protocol = "tcp", port = 443, from = ["0.0.0.0/0"] }
}
firewall "monitoring" {
  rule "node_exporter" { protocol = "tcp", port = 9100, from = ["10.0.0.0/8"] }
}
server "app" {
  type     = "cx22"
  location = "nbg1"
  image    = "ubuntu-24.04"
  firewall = [firewall.web, firewall.monitoring]
}
