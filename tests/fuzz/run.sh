#!/usr/bin/env bash
# Run one fuzz target: tests/fuzz/run.sh TARGET [RUNS] [extra libFuzzer flags...]
# The working corpus lives outside the repository (/tmp/tradenet-fuzz/corpus/TARGET); the
# committed seeds (tests/fuzz/seeds/TARGET) and the good/bad example files start it. Needs the
# nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`). Crashes land in
# tests/fuzz/artifacts/TARGET; copy each into tests/fuzz/regressions/TARGET/ with its fix.
set -euo pipefail
cd "$(dirname "$0")/../.."
t=${1:?target: native nodelink csv detect io_set scenario escaping}
runs=${2:-10000000}
shift $(( $# >= 2 ? 2 : 1 ))
work=/tmp/tradenet-fuzz/corpus/$t
mkdir -p "$work"
seeds=()
[ -d "tests/fuzz/seeds/$t" ] && seeds+=("tests/fuzz/seeds/$t")
case $t in
  native|nodelink|csv|detect) seeds+=(tests/good tests/bad graphs/tiny.json) ;;
esac
[ -d "tests/fuzz/regressions/$t" ] && seeds+=("tests/fuzz/regressions/$t")
# graphs/tiny.json is a file: libFuzzer wants folders, so copy it in.
dirs=()
for s in "${seeds[@]}"; do
  if [ -f "$s" ]; then cp "$s" "$work/"; else dirs+=("$s"); fi
done
# -O -a: optimised, with debug assertions and overflow checks; -s none: no AddressSanitizer
# (tradenet is safe Rust but for a few audited lines; ASan would cost 3-5x the executions).
exec cargo +nightly fuzz run --fuzz-dir tests/fuzz -O -a -s none "$t" "$work" "${dirs[@]}" -- \
  -runs="$runs" -max_len=8192 -timeout=20 -rss_limit_mb=4096 -print_final_stats=1 "$@"
