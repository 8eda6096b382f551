# E0401: an environment cannot promote from itself.
project "demo" {
  datacenters = ["dc1"]
}

environment "production" {
  promote_from = environment.production
}
