#!/usr/bin/env bash
# Firm-scale benchmark (issue #20): PageRank of every node end to end (read the CSV, build the
# graph, iterate to an L1 change below 1e-6, write id,pagerank), tradenet against the Python
# pipeline of benches/firms_pipeline.py (pandas' pyarrow engine, pd.factorize, scipy CSR,
# power iteration), run ALTERNATELY (tradenet, Python, tradenet, ...) so that a machine shared
# with other work slows both alike. Prints the median wall time and peak RSS (/usr/bin/time -v)
# of each, their ratios, the load average, and checks that both give the same PageRank (1e-6).
#
#   benches/firms.sh [DATA_DIR] [RUNS]    defaults: /tmp/tradenet-bench-data, 3
#
# DATA_DIR holds firms.csv and icio.csv from ../shared/bench/gen_graphs.py --scale firms icio.
# Build first: cargo build --release. PYTHON defaults to ~/.cache/tradenet-bench-venv/bin/python.
set -euo pipefail
cd "$(dirname "$0")/.."
D=${1:-/tmp/tradenet-bench-data}
RUNS=${2:-3}
BIN=target/release/tradenet
PY=${PYTHON:-$HOME/.cache/tradenet-bench-venv/bin/python}
PIPE=benches/firms_pipeline.py
[ -x "$BIN" ] || { echo "build first: cargo build --release" >&2; exit 2; }
[ -x "$PY" ] || { echo "no Python with pandas, pyarrow and scipy at $PY (set PYTHON)" >&2; exit 2; }
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

# Wall seconds and peak RSS KiB of one command, from /usr/bin/time -v.
measure() {
  /usr/bin/time -v "$@" > /dev/null 2> "$OUT/time" || { cat "$OUT/time" >&2; exit 1; }
  awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]}
              /Maximum resident set size/ {m = $2}
              END {print s, m}' "$OUT/time"
}
median() { sort -g | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }

echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores"
echo
echo "| file | flows | tradenet s | Python s | wall ratio | tradenet MiB | Python MiB | memory ratio |"
echo "|---|---|---|---|---|---|---|---|"
for s in firms icio; do
  f="$D/$s.csv"
  [ -f "$f" ] || { echo "no $f: run ../shared/bench/gen_graphs.py --scale firms icio --out $D" >&2; exit 2; }
  cat "$f" > /dev/null # the page cache holds the file for every run alike
  : > "$OUT/tn"; : > "$OUT/py"
  for _ in $(seq "$RUNS"); do
    measure "$BIN" centrality "$f" -m pagerank --tol 1e-6 --format csv -o "$OUT/tn.csv" >> "$OUT/tn"
    measure "$PY" "$PIPE" "$f" "$OUT/py.csv" --tol 1e-6 >> "$OUT/py"
  done
  "$PY" "$PIPE" --compare "$OUT/py.csv" "$OUT/tn.csv" --tol 1e-6 >&2 ||
    { echo "tradenet and the Python pipeline disagree on $s.csv" >&2; exit 1; }
  tt=$(cut -d' ' -f1 "$OUT/tn" | median); pt=$(cut -d' ' -f1 "$OUT/py" | median)
  tm=$(cut -d' ' -f2 "$OUT/tn" | median); pm=$(cut -d' ' -f2 "$OUT/py" | median)
  flows=$(($(wc -l < "$f") - 1))
  awk -v s="$s" -v n="$flows" -v tt="$tt" -v pt="$pt" -v tm="$tm" -v pm="$pm" 'BEGIN {
    printf "| %s.csv | %d | %.2f | %.2f | %.2f | %d | %d | %.2f |\n", s, n, tt, pt, tt / pt, tm / 1024, pm / 1024, tm / pm }'
  echo "  runs (s KiB): tradenet $(tr '\n' ' ' < "$OUT/tn")/ Python $(tr '\n' ' ' < "$OUT/py")" >&2
done
echo
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
