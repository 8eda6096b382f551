# ok: a batch app on a cron schedule (no health check needed), with a script-free command line.
project "ops" {
  datacenters = ["dc1"]
}

environment "production" {}

secret "restic_password" {
  vault = "secret/ops/restic"
  key   = "password"
}

app "backup" {
  type     = "batch"
  schedule = "30 3 * * *"
  image    = "restic/restic:0.17.1"
  command  = "restic"
  args     = ["backup", "/data", "--tag", "nightly"]
  secrets  = { RESTIC_PASSWORD = secret.restic_password }

  resources { cpu = 200, memory = 256MiB }
  volume "data" { host = "app-data", path = "/data", read_only = true }
}
