#!/usr/bin/env bash
# EXIOBASE 3-size load benchmark: `tradenet validate` (the load) and `tradenet info` on a
# generated 49 x 163 table in pymrio's text layout (benches/gen_exio3.py: A, Y, x, unit) against
# pymrio's parse_exiobase3 + calc_all (Z = A diag(x)) on the same folder, in one run: wall
# seconds and peak memory (/usr/bin/time -v), the ratios, and the totals beside the generator's.
#
#   benches/exio_load.sh [DIR]     default: /tmp/exio3/IOT_2022_ixi (generated if missing)
#
# Needs: cargo build --release; the peer venv ~/.cache/tradenet-bench-venv (numpy, pandas, pymrio).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-$HOME/.cache/tradenet-bench-venv/bin/python}
D=${1:-/tmp/exio3/IOT_2022_ixi}
BIN=target/release/tradenet
[ -x "$BIN" ] || { echo "build first: cargo build --release" >&2; exit 2; }
[ -x "$PY" ] || { echo "no peer venv at $PY (set PY=...)" >&2; exit 2; }
[ -f "$D/A.txt" ] || "$PY" benches/gen_exio3.py --out "$D"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cat "$D"/*.txt > /dev/null   # warm the page cache for both

/usr/bin/time -v "$BIN" validate "$D" > /dev/null 2> "$T/validate.time"
/usr/bin/time -v "$BIN" info "$D" --format json > "$T/tradenet.json" 2> "$T/tradenet.time"
cat > "$T/peer.py" <<'PY'
import json, sys, pymrio
io = pymrio.parse_exiobase3(sys.argv[1])
io.calc_all()
print(json.dumps({"sum_z": float(io.Z.values.sum()), "sum_y": float(io.Y.values.sum()),
                  "sum_x": float(io.x.values.sum()), "nodes": int(io.Z.shape[0]), "pymrio": pymrio.__version__}))
PY
/usr/bin/time -v "$PY" "$T/peer.py" "$D" > "$T/pymrio.json" 2> "$T/pymrio.time"

"$PY" - "$D" "$T" <<'PY'
import json, re, sys
d, t = sys.argv[1], sys.argv[2]
def usage(name):
    text = open(f"{t}/{name}.time").read()
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (.*)", text).group(1)
    secs = sum(float(p) * 60 ** i for i, p in enumerate(reversed(wall.split(":"))))
    peak = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1)) / 1024
    return secs, peak
want = json.load(open(f"{d}/totals.json"))
tn = json.load(open(f"{t}/tradenet.json"))
pm = json.load(open(f"{t}/pymrio.json"))
(vs, vm), (ts, tm), (ps, pmem) = usage("validate"), usage("tradenet"), usage("pymrio")
print(f"folder: {d} (A.txt {want['nonzero_a']} non-zero coefficients)")
print(f"tradenet validate (load): {vs:6.2f} s  peak {vm:7.0f} MiB")
print(f"tradenet info:            {ts:6.2f} s  peak {tm:7.0f} MiB  ({tn['nodes']} nodes, {tn['flows']} flows, layout {tn.get('layout')})")
print(f"pymrio parse_exiobase3+calc_all: {ps:6.2f} s  peak {pmem:7.0f} MiB  ({pm['nodes']} nodes, pymrio {pm['pymrio']})")
print(f"ratio pymrio / tradenet load: {ps / vs:.1f}x time, {pmem / vm:.2f}x memory; pymrio / tradenet info: {ps / ts:.1f}x time")
print(f"pymrio sums:    Z {pm['sum_z']:.6f}  Y {pm['sum_y']:.6f}  x {pm['sum_x']:.6f}")
print(f"generator sums: Z {want['sum_z']:.6f}  Y {want['sum_y']:.6f}  x {want['sum_x']:.6f}")
print(f"tradenet: total flow value {tn['total_value']:.6f} (= sum Z)")
PY
