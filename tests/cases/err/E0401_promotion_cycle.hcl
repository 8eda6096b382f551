# E0401: staging promotes from production, which promotes from staging.
project "demo" {
  datacenters = ["dc1"]
}

environment "staging" {
  promote_from = environment.production
}

environment "production" {
  promote_from = environment.staging
}
