#!/usr/bin/env bash
# Economic complexity timings (README, Performance): tradenet and ecomplexity 0.5.3 on the same
# synthetic 200 countries x 5,000 HS6 products table (benches/gen_complexity.py, seed 2026,
# written to /tmp), and a check that every ECI, PCI, COI, diversity and ubiquity, and the
# density and COG of one country's candidates, equal ecomplexity's within 1e-9
# (benches/complexity_ecomplexity.py). ecomplexity takes minutes on this size.
#
# Usage: benches/complexity_bench.sh [RUNS]    (PYTHON=path to a python with ecomplexity 0.5.3)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"
py="${PYTHON:-$HOME/.cache/tradenet-bench-venv/bin/python}"
table=/tmp/complexity_200x5000.csv
[ -f "$table" ] || "$py" benches/gen_complexity.py "$table" 200 5000 2026
cargo build --release --quiet --bin tradenet
tn=./target/release/tradenet
echo "== tradenet complexity $table --timings ($runs runs; release build)"
for _ in $(seq "$runs"); do
    /usr/bin/time -f "   whole process %e s wall, %M KB peak" \
        "$tn" complexity "$table" --timings --format csv -o /tmp/complexity_bench_out.csv
done
"$tn" complexity "$table" --country c001 --format json -o /tmp/complexity_bench_tradenet.json
if "$py" -c 'import ecomplexity' 2>/dev/null; then
    echo "== ecomplexity 0.5.3 on the same file (one run), and the comparison"
    "$py" benches/complexity_ecomplexity.py "$table" /tmp/complexity_bench_tradenet.json
else
    echo "== ecomplexity 0.5.3: not installed ($py -m pip install ecomplexity==0.5.3)"
fi
