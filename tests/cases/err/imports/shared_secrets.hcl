# Helper for E0204_duplicate_across_imports.hcl: secrets shared by several specs.
secret "db_password" {
  vault = "secret/shared/db_password"
}

secret "smtp_password" {
  vault = "secret/shared/smtp"
  key   = "password"
}
