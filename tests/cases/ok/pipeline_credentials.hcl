# ok: a pipeline over two environments with Jenkins credential ids bound to environment variables.
project "ci" {
  datacenters = ["dc1"]
}

environment "staging" {
  region      = "staging"
  host_suffix = "-staging"
}

environment "production" {
  approval     = true
  promote_from = environment.staging
}

pipeline "deploy" {
  agent        = "linux"
  branch       = "main"
  environments = [environment.staging, environment.production]
  notify       = "deployments"
  timeout      = 45m
  credentials  = {
    SALT_API_CREDS  = "salt-api-credentials"
    DOCKER_REGISTRY = "docker-registry-creds"
    VAULT_TOKEN     = "vault-approle"
  }
}
