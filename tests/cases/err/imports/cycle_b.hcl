# Helper for E0209_import_cycle.hcl: the other half of an import cycle.
import "./cycle_a.hcl"

secret "b" {
  vault = "secret/demo/b"
}
