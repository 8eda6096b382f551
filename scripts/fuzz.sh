#!/usr/bin/env bash
# Builds the seed corpus and runs the cargo-fuzz targets one after another.
#
#   scripts/fuzz.sh [RUNS] [TARGET...]     default: 1000000 runs, parse check compile
#
# Seeds: every spec in tests/cases, the examples and the standard library.
# The working corpus lives in target/fuzz-corpus/<target> (not committed: it
# grows to thousands of files); crashes land in fuzz/artifacts/<target>/.
# cargo-fuzz wants nightly features (sanitizer flags); RUSTC_BOOTSTRAP lets the
# stable toolchain accept them. One job at a time, at the lowest priority:
# the machine is shared.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
runs="${1:-1000000}"
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(parse check compile)

seeds="$root/target/fuzz-seeds"
rm -rf "$seeds"
mkdir -p "$seeds"
while IFS= read -r f; do
    cp "$f" "$seeds/$(echo "$f" | tr '/' '_')"
done < <(find tests/cases examples stdlib -name '*.hcl' | sort)

export RUSTC_BOOTSTRAP=1
for t in "${targets[@]}"; do
    corpus="$root/target/fuzz-corpus/$t"
    mkdir -p "$corpus" "$root/fuzz/artifacts/$t"
    # A spec deeper than MAX_NESTING is refused before the parser sees it, so
    # 64 KiB inputs are enough to reach every state; larger inputs only slow
    # the search (the 50 MB spec is a test in tests/no_panic.rs).
    nice -n 19 cargo fuzz run --sanitizer none --target-dir "$root/target/fuzz" \
        "$t" "$corpus" "$seeds" -- \
        -dict="$root/fuzz/hecate.dict" -runs="$runs" -max_len=65536 \
        -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$root/fuzz/artifacts/$t/"
done
