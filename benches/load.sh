#!/usr/bin/env bash
# Load benchmark: seconds and peak memory for `tradenet validate FILE` (read + validate + build
# the graph) on the files made by ../shared/bench/gen_graphs.py, next to the peers' load times
# recorded by ../shared/bench/peers.py on the same files (results-2026-11-24/*.jsonl).
#
#   benches/load.sh [DATA_DIR] [RUNS]      defaults: /tmp/tradenet-bench-data, 5
#
# Prints a Markdown table. Build first: cargo build --release.
set -euo pipefail
cd "$(dirname "$0")/.."
D=${1:-/tmp/tradenet-bench-data}
RUNS=${2:-5}
BIN=target/release/tradenet
PEERS=../shared/bench/results-2026-11-24
[ -x "$BIN" ] || { echo "build first: cargo build --release" >&2; exit 2; }
[ -f "$D/firms.csv" ] || { echo "no data in $D: run ../shared/bench/gen_graphs.py --scale all --out $D" >&2; exit 2; }

echo "| file | rows | tradenet median s (min-max, $RUNS runs) | tradenet peak MiB | fastest peer load | networkx | igraph | rustworkx | networkit | scipy |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for s in world world-hs2 icio firms; do
  f="$D/$s.csv"
  cat "$f" > /dev/null   # warm the page cache, as the peers' repeated runs are
  times=(); mem=0
  for _ in $(seq "$RUNS"); do
    out=$( { /usr/bin/time -f "%e %M" "$BIN" validate "$f" > /dev/null; } 2>&1 | tail -1)
    times+=("${out% *}")
    m=${out#* }; [ "$m" -gt "$mem" ] && mem=$m
  done
  sorted=$(printf '%s\n' "${times[@]}" | sort -n)
  med=$(echo "$sorted" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  lo=$(echo "$sorted" | head -1); hi=$(echo "$sorted" | tail -1)
  rows=$(($(wc -l < "$f") - 1))
  peers=$(python3 - "$PEERS/$s.jsonl" <<'PY'
import json, sys
t = {}
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r.get("task") == "load" and r.get("status") == "ok":
        t[r["peer"]] = r["median_s"]
best = min(t, key=t.get)
cols = [f"{t[p]:.3f}" if p in t else "n/a" for p in ["networkx", "igraph", "rustworkx", "networkit", "scipy"]]
print(f"{t[best]:.3f} ({best})|" + "|".join(cols))
PY
)
  echo "| $s.csv | $rows | $med ($lo-$hi) | $((mem / 1024)) | $peers |"
done
