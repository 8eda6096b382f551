# A batch schedule `0 3 * * */0` that Nomad's cron parser (hashicorp/cronexpr) refuses.

project "shop" {
  datacenters = ["dc1"]
  acme_email  = "ops@example.com"
}

environment "production" {}

server "web" {
  type     = "cx22"
  location = "nbg1"
  image    = "ubuntu-24.04"
}

app "backup" {
  image   = "restic/restic:0.17.1"
  runs_on = server.web
  type = "batch"
  schedule = "0 3 * * */0"

  resources { cpu = 200, memory = 256MiB }
}
