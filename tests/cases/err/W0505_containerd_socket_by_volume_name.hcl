# W0505: a host volume named after the containerd socket, mounted where the CLI looks for it.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

app "agent" {
  image = "example/node-agent:3.2.1"
  port "http" { to = 9100 }
  health "tcp" {}
  volume "runtime" { host = "containerd_sock", path = "/run/containerd/containerd.sock" }
}
