# Helper for E0209_import_cycle.hcl: half of an import cycle.
import "./cycle_b.hcl"

secret "a" {
  vault = "secret/demo/a"
}
