# E0504: a credential-looking argument, even without a telling flag name.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

app "agent" {
  image   = "example/agent:2.1.0"
  command = "agent"
  args    = ["run", "ghp_9aZ3kQ7mX2vB8nL4pR6tY1wE5sD0fG3hJ"]
  port "http" { to = 8080 }
  health "tcp" {}
}
