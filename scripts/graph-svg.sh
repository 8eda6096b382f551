#!/usr/bin/env bash
# Regenerates docs/graph.svg: the dependency graph of the cybermonkey
# example (its first environment), laid out by Graphviz `dot`.
#
#   bash scripts/graph-svg.sh
#
# tests/it/cli_graph.rs fails when docs/graph.svg no longer shows the graph
# that `eosc graph` prints.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
command -v dot >/dev/null 2>&1 || {
  echo "graph-svg: Graphviz dot not found (bash scripts/install-test-tools.sh installs it)" >&2
  exit 1
}
cargo build --quiet
./target/debug/eosc graph examples/cybermonkey/hecate.hcl --format dot 2>/dev/null \
  | dot -Tsvg -o docs/graph.svg
echo "wrote docs/graph.svg" >&2
