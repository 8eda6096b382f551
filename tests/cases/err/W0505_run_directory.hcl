# W0505: mounting /var/run hands over every runtime socket in it, docker.sock included.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

app "agent" {
  image = "example/node-agent:3.2.1"
  port "http" { to = 9100 }
  health "tcp" {}
  volume "run" { host = "host-run", path = "/var/run" }
}
