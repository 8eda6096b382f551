# Helper for E0208_missing_nested_import.hcl: imports a file that does not exist.
import "./apps/missing.hcl"

secret "token" {
  vault = "secret/demo/token"
}
