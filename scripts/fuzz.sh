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
logs="$root/target/fuzz-logs"
mkdir -p "$logs"
# Build once, then run the binaries: `cargo fuzz run` would rebuild (minutes
# of CPU) whenever a source file changed during a long campaign.
# No sanitizer: the code is safe Rust, and ASan would halve the throughput;
# panics, stack overflows, timeouts and OOM are what libFuzzer reports.
nice -n 19 cargo fuzz build --sanitizer none --target-dir "$root/target/fuzz" 2>&1 | tail -1
bin="$root/target/fuzz/x86_64-unknown-linux-gnu/release"
# The importers read other languages: their seeds are files of that kind
# (the seed's Caddyfile and compose file, every emitted Nomad job and zone).
import_seeds() {
    local dir="$root/target/fuzz-seeds-$1"
    rm -rf "$dir"
    mkdir -p "$dir"
    case "$1" in
        import_caddyfile) find tests/data -name '*Caddyfile*' ;;
        import_compose) find tests/data -name '*.yml' -o -name '*.yaml' ;;
        import_nomad) find tests/snapshots -name '*nomad__*.snap' ;;
        import_zone) find tests/snapshots -name '*dns__*.snap' ;;
        import_nginx) find tests/snapshots tests/data -name '*nginx*' -type f ;;
    esac | sort | while IFS= read -r f; do
        # insta's header is not part of the artifact.
        awk 'n >= 2 { print } n < 2 && /^---$/ { n++ }' "$f" >"$dir/$(echo "$f" | tr '/' '_')"
    done
    echo "$dir"
}
for t in "${targets[@]}"; do
    t_seeds="$seeds"
    case "$t" in import_*) t_seeds="$(import_seeds "$t")" ;; esac
    corpus="$root/target/fuzz-corpus/$t"
    mkdir -p "$corpus" "$root/fuzz/artifacts/$t"
    # Nesting past MAX_NESTING is refused before the parser runs, so a few
    # KiB reach every state of the grammar; longer inputs only slow the
    # search (the 50 MB spec and 1 MB lines are tests in tests/it/no_panic.rs).
    # check and compile get more room so that whole example specs fit.
    max_len=8192
    [ "$t" = parse ] && max_len=4096
    log="$logs/$t-$(date +%s).log"
    start=$(date +%s)
    status=0
    nice -n 19 "$bin/$t" "$corpus" "$t_seeds" \
        -dict="$root/fuzz/hecate.dict" -runs="$runs" -max_len="$max_len" \
        -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$root/fuzz/artifacts/$t/" >"$log" 2>&1 || status=$?
    end=$(date +%s)
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
    ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1)
    corp=$(find "$corpus" -type f | wc -l)
    line="$t exit=$status execs=${execs:-?} exec/s=${rate:-?} seconds=$((end - start)) ${cov:-cov: ?} ${ft:-ft: ?} corpus=$corp log=$log"
    echo "$line" | tee -a "$logs/summary.txt"
    [ "$status" -eq 0 ] || { tail -40 "$log"; exit "$status"; }
done
