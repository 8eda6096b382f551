# E0215: a spec needs exactly one `project` block; this one has none.
environment "production" {}

secret "token" {
  vault = "secret/demo/token"
}
