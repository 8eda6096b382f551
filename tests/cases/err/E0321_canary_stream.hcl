# E0321: nginx dials every instance of a stream's app, the canary among
# them: the rollout's traffic stages cannot apply to a stream.
project "shop" {
  datacenters = ["dc1"]
  registry    = "registry.example.com"
}

environment "production" {}

server "db" {
  type     = "cx22"
  location = "nbg1"
  image    = "ubuntu-24.04"
}

rollout "careful" {
  strategy = "canary"
  stage { traffic = 10% }
  stage { traffic = 100% }
}

app "postgres" {
  image   = "${project.registry}/postgres:16.4"
  runs_on = server.db
  rollout = rollout.careful
  port "db" {
    to     = 5432
    static = 5432
  }
  health "tcp" { port = "db" }
}

stream "postgres" {
  listen = 15432
  target = app.postgres.port.db
  allow  = ["10.0.0.0/8"]
}
