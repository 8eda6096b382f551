# E0319: only batch apps run on a schedule.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

app "backup" {
  image    = "restic/restic:0.17.1"
  schedule = "0 3 * * *"
  port "http" { to = 80 }
  health "tcp" {}
}
