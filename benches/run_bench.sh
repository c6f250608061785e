#!/usr/bin/env bash
# tradenet vs the peers on the benchmark files: builds the release binary and runs
# benches/run_bench.py with the benchmark venv (see ../shared/bench/README.md).
#   bash benches/run_bench.sh [DATA_DIR] [extra run_bench.py args, e.g. --scale icio --repeat 5]
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${1:-/tmp/tradenet-bench-data}; shift || true
V=${TRADENET_BENCH_VENV:-$HOME/.cache/tradenet-bench-venv}/bin/python
[ -x "$V" ] || bash ../shared/bench/setup.sh
[ -f "$DATA/icio.csv" ] || "$V" ../shared/bench/gen_graphs.py --scale all --out "$DATA"
cargo build --release --quiet
exec "$V" benches/run_bench.py --data "$DATA" "$@"
