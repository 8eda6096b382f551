# E0318: a blocking rule either responds with a status or aborts the connection.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {}

middleware "guard" {
  block "admin" {
    paths   = ["/admin/*"]
    respond = 403
    abort   = true
  }
}
