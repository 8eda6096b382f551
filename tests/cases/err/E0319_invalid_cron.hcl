# E0319: a schedule is a 5-field cron expression; `@daily` is not accepted.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

app "backup" {
  image    = "restic/restic:0.17.1"
  type     = "batch"
  schedule = "@daily"
}
