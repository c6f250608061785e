#!/usr/bin/env bash
# Shock benchmarks (benches/SHOCK-RESULTS.md): tradenet's Leontief rounds on the synthetic ICIO
# system and on the full WIOD 2011 system, DebtRank on 10 M firm flows, and the peers
# (numpy / scipy Neumann, pymrio) run right after on the same files, so that both see the same
# machine load.
#
#   benches/shock_bench.sh [DATA_DIR] [WIOD_DIR]
#     defaults: /tmp/tradenet-bench-data, ../shared/data/wiod2011/full
#
# Needs: cargo build --release --example shock_bench; the peer venv (../shared/bench/setup.sh);
# the data made by ../shared/bench/gen_graphs.py.
set -euo pipefail
cd "$(dirname "$0")/.."
D=${1:-/tmp/tradenet-bench-data}
W=${2:-../shared/data/wiod2011/full}
V=${TRADENET_BENCH_VENV:-$HOME/.cache/tradenet-bench-venv}/bin/python
EX=target/release/examples/shock_bench
BIN=target/release/tradenet
[ -x "$EX" ] && [ -x "$BIN" ] || { echo "build first: cargo build --release --example shock_bench" >&2; exit 2; }

echo "== load: $(uptime | sed 's/.*load average: //')"
echo "== tradenet: one demand shock on icio (df = -10% final demand of CHN:*)"
"$EX" icio "$D" 30
echo "== peers on icio (../shared/bench/peers.py, same machine, right after)"
(cd ../shared/bench && "$V" peers.py --csv "$D/icio.csv" --peer numpy scipy pymrio \
    --task leontief-neumann leontief-solve leontief-pymrio --repeat 3 2>/dev/null) |
  "$V" -c '
import json, sys
for line in sys.stdin:
    r = json.loads(line)
    c = r.get("checksum") or {}
    print("%-7s %-18s median %8.1f ms  min %8.1f ms  runs %2d  sum(dx) %s"
          % (r["peer"], r["task"], r["median_s"] * 1e3, r["min_s"] * 1e3, r["runs"], c.get("sum")))
'
echo "== tradenet again (load drift check)"
"$EX" icio "$D" 30 | grep -E "rounds \(|build \+ rounds"
echo "== tradenet CLI end to end on icio (load CSV + files + shock + table), 3 runs"
for _ in 1 2 3; do
  /usr/bin/time -f "%e s, peak %M KB" "$BIN" shock "$D/icio.csv" --gross-output "$D/icio_output.csv" \
    --final-demand "$D/icio_final_demand.csv" --dy "$D/icio_shock.csv" > /dev/null
done
echo "== tradenet: full WIOD 2011 (1435 nodes), -10% of every CHN node's final demand"
"$EX" wiod "$W" 20
echo "== numpy on the same WIOD system"
"$V" - "$W" <<'PY'
import sys, time
import numpy as np, pandas as pd
w = sys.argv[1]
z = pd.read_csv(f"{w}/intermediate_flows_2011.csv.gz"); x = pd.read_csv(f"{w}/gross_output_2011.csv")
fd = pd.read_csv(f"{w}/final_demand_2011.csv.gz")
ids = list(x["node"]); ix = {k: i for i, k in enumerate(ids)}; n = len(ids)
Z = np.zeros((n, n)); np.add.at(Z, (z["from"].map(ix).values, z["to"].map(ix).values), z["value"].values)
xv = x["gross_output"].values.astype(float)
y = np.zeros(n); np.add.at(y, fd["from"].map(ix).values, fd["value"].values)
dy = np.where(x["country"].values == "CHN", -0.1 * y, 0.0)
def a():
    return np.where(xv[None, :] > 0, Z / np.where(xv > 0, xv, 1)[None, :], 0.0)
def neumann():   # the same stopping rule as tradenet: round L1 < 1e-10 |dy|_1
    A = a(); term = dy.copy(); dx = dy.copy()
    while True:
        term = A @ term; dx += term
        if np.abs(term).sum() < 1e-10 * np.abs(dy).sum():
            return dx
def solve():
    return np.linalg.solve(np.eye(n) - a(), dy)
for f in (neumann, solve):
    t = []
    for _ in range(9):
        s = time.perf_counter(); r = f(); t.append(time.perf_counter() - s)
    t.sort()
    print(f"numpy {f.__name__:8} median {t[4]*1e3:7.1f} ms  min {t[0]*1e3:7.1f} ms  sum(dx) {r.sum():.6e}")
PY
echo "== tradenet: DebtRank on firms (10 M flows)"
"$EX" firms "$D/firms.csv" 5
echo "== tradenet CLI end to end on firms (load CSV + DebtRank + table)"
/usr/bin/time -f "%e s, peak %M KB" "$BIN" shock "$D/firms.csv" --demand f0000000=-50% --top 5 > /dev/null
echo "== load: $(uptime | sed 's/.*load average: //')"
