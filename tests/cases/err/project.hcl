# --- E0202_unknown_project_attribute
# Error: E0202 3:3
# E0202: `datacentre` is not a project attribute (did you mean `datacenters`?).
project "demo" {
  datacentre = ["dc1"]
}

environment "production" {}

# --- E0202_unknown_salt_target_role
# Error: E0202 4:20
# E0202: `salt_targets` only knows the roles controller, proxy and apps.
project "demo" {
  datacenters  = ["dc1"]
  salt_targets = { database = "roles:db" }
}

environment "production" {}

# --- E0301_string_for_list
# Error: E0301 3:17
# E0301: `datacenters` is a list of strings; a single string must be wrapped in `[...]`.
project "demo" {
  datacenters = "dc1"
}

environment "production" {}

# --- E0303_invalid_email
# Error: E0303 4:17
# E0303: the ACME contact must be an email address.
project "demo" {
  datacenters = ["dc1"]
  acme_email  = "ops.example.com"
}

environment "production" {}

# --- E0303_invalid_grain_target
# Error: E0303 4:28
# E0303: a salt target is a grain match `grain:value`.
project "demo" {
  datacenters  = ["dc1"]
  salt_targets = { proxy = "hecate-proxy" }
}

environment "production" {}

# --- E0214_two_projects
# Error: E0214 6:1
# E0214: a spec describes one project.
project "shop" {
  datacenters = ["dc1"]
}

project "blog" {
  datacenters = ["dc2"]
}

environment "production" {}

# --- E0215_no_project
# Error: E0215 2:1
# E0215: a spec needs exactly one `project` block; this one has none.
environment "production" {}

secret "token" {
  vault = "secret/demo/token"
}

# --- E0216_no_environment
# Error: E0216 2:1
# E0216: with no `environment` there is nothing to compile.
project "demo" {
  datacenters = ["dc1"]
}
