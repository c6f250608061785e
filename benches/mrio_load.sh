#!/usr/bin/env bash
# MRIO load benchmark: `tradenet info` on a full-size OECD ICIO 2023 extended-layout table
# (made by benches/gen_icio2023.py) against pymrio's parse_oecd + calc_x on the same file, in
# one run (plus `tradenet validate`, the load alone): wall seconds and peak memory of each (/usr/bin/time -v), the ratio, and the totals
# of both beside the generator's (sum Z, sum Y, sum x).
#
#   benches/mrio_load.sh [FILE]     default: /tmp/tradenet-icio2023/2020.csv (generated if missing)
#
# Needs: cargo build --release; the peer venv ~/.cache/tradenet-bench-venv (numpy, pandas, pymrio).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-$HOME/.cache/tradenet-bench-venv/bin/python}
F=${1:-/tmp/tradenet-icio2023/2020.csv}
BIN=target/release/tradenet
[ -x "$BIN" ] || { echo "build first: cargo build --release" >&2; exit 2; }
[ -x "$PY" ] || { echo "no peer venv at $PY (set PY=...)" >&2; exit 2; }
[ -f "$F" ] || "$PY" benches/gen_icio2023.py --out "$F"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cat "$F" > /dev/null   # warm the page cache for both

/usr/bin/time -v "$BIN" info "$F" --format json > "$T/tradenet.json" 2> "$T/tradenet.time"
/usr/bin/time -v "$BIN" validate "$F" > /dev/null 2> "$T/validate.time"
cat > "$T/peer.py" <<'PY'
import json, sys, pymrio
io = pymrio.parse_oecd(sys.argv[1])
x = pymrio.calc_x(io.Z, io.Y)
print(json.dumps({"sum_z": float(io.Z.values.sum()), "sum_y": float(io.Y.values.sum()),
                  "sum_x": float(x.values.sum()), "nodes": int(io.Z.shape[0]), "pymrio": pymrio.__version__}))
PY
/usr/bin/time -v "$PY" "$T/peer.py" "$F" > "$T/pymrio.json" 2> "$T/pymrio.time"

"$PY" - "$F" "$T" <<'PY'
import json, re, sys
f, t = sys.argv[1], sys.argv[2]
def usage(name):
    text = open(f"{t}/{name}.time").read()
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (.*)", text).group(1)
    secs = sum(float(p) * 60 ** i for i, p in enumerate(reversed(wall.split(":"))))
    peak = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1)) / 1024
    return secs, peak
want = json.load(open(f + ".totals.json"))
tn = json.load(open(f"{t}/tradenet.json"))
pm = json.load(open(f"{t}/pymrio.json"))
(ts, tm), (ps, pmem) = usage("tradenet"), usage("pymrio")
vs, vm = usage("validate")
print(f"file: {f} ({want['bytes'] / 1e6:.1f} MB, {want['rows']} rows x {want['columns']} columns)")
print(f"tradenet info:          {ts:6.2f} s  peak {tm:7.0f} MiB  ({tn['nodes']} nodes, {tn['flows']} flows, layout {tn['layout']})")
print(f"tradenet validate (load only): {vs:6.2f} s  peak {vm:7.0f} MiB")
print(f"pymrio parse_oecd+calc_x: {ps:6.2f} s  peak {pmem:7.0f} MiB  ({pm['nodes']} nodes, pymrio {pm['pymrio']})")
print(f"ratio pymrio / tradenet info: {ps / ts:.1f}x time, {pmem / tm:.1f}x memory; pymrio / tradenet load: {ps / vs:.1f}x time")
print(f"pymrio sums:    Z {pm['sum_z']:.6f}  Y {pm['sum_y']:.6f}  x {pm['sum_x']:.6f}")
print(f"generator sums: Z {want['sum_z']:.6f}  Y {want['sum_y']:.6f}  x {want['sum_x']:.6f}")
print(f"tradenet: total flow value {tn['total_value']:.6f} (= sum Z; flows {tn['flows']}, generator {want['flows']})")
PY
