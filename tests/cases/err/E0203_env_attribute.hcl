# E0203: `env` has only `name`; `env.region` is not defined.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

app "web" {
  image = "nginx:1.27-alpine"
  env   = { REGION = env.region }
  port "http" { to = 80 }
  health "tcp" {}
}
