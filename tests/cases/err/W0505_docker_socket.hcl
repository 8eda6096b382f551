# W0505: mounting the Docker socket gives the container root on the node.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

app "agent" {
  image = "portainer/agent:2.21.4"
  port "http" { to = 9001 }
  health "tcp" {}
  volume "docker" { host = "docker-socket", path = "/var/run/docker.sock" }
}
