# --- E0407_pipeline_environment_twice
# Error: E0407 13:40
# E0407: staging listed twice: Jenkins refuses two stages named `deploy staging`.
project "ci" {
  datacenters = ["dc1"]
}

environment "staging" {}

environment "production" {
  promote_from = environment.staging
}

pipeline "deploy" {
  environments = [environment.staging, environment.staging, environment.production]
}

# --- E0408_pipeline_promotes_before_source
# Error: E0408 14:19
# E0408: production promotes from staging, but the pipeline deploys production first.
project "ci" {
  datacenters = ["dc1"]
}

environment "staging" {}

environment "production" {
  approval     = true
  promote_from = environment.staging
}

pipeline "deploy" {
  environments = [environment.production, environment.staging]
}
