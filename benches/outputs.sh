#!/usr/bin/env bash
# Record, or compare with a record, the outputs of every command shown in the README and the
# JSON, CSV and table output of centrality, dependency, shock and draw on the bundled graphs
# (issue #14: the redesign must leave every output byte-identical).
#
#   benches/outputs.sh record /tmp/outputs-before     # before the first change
#   benches/outputs.sh check  /tmp/outputs-before     # after the last: exit 1 on any difference
#
# Runs the release binary from the repository root; the Comtrade CSV is read from
# ../shared/data at run time. Each command's stdout, stderr and exit code are kept in one
# file per command, named by its number; `index.txt` lists the commands.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:?record or check}
dir=${2:?folder for the record}
cargo build --release --quiet
bin=$PWD/target/release/tradenet
comtrade=../shared/data/comtrade-1964-2016/edges_total_1964_2016.csv
[ -f "$comtrade" ] || { echo "$comtrade not found: ../shared/data must sit beside the checkout" >&2; exit 2; }

cmds=(
  # The README's tour.
  "shock"
  "info"
  "info $comtrade --year 2016 --top 5"
  "info $comtrade --top 3"
  "info --sectors"
  "validate tests/bad/many_problems.json"
  "centrality graphs/icio2022_trade_total.json --measure pagerank,cheirank,betweenness --top 8"
  "dependency $comtrade --year 2016 --country CAN --partner USA --top 5"
  "dependency --country CAN --partner USA --top 6"
  "dependency ../shared/data/wiod2011/full --country CAN --partner USA --top 6"
  "dependency --critical --import-hhi 0.3"
  "convert graphs/tiny.json --to nodelink"
  "convert --as-countries --sector C29 --to csv"
  "draw graphs/icio2022_trade_total.json"
  "draw graphs/icio2022_trade_by_sector.json --sector C29 --top 30"
)
for g in graphs/*.json; do
  for f in json csv table; do
    cmds+=("centrality $g --format $f")
    cmds+=("dependency $g --format $f")
    cmds+=("info $g --format $f")
  done
  cmds+=("draw $g")
  cmds+=("convert $g --to csv")
done
for f in json csv table; do
  cmds+=("shock --format $f")
  cmds+=("shock --tariff USA:CAN:C29=25% --format $f")
  cmds+=("shock --demand CHN=-10% --supply JPN:C27=-20% --format $f")
  cmds+=("shock graphs/icio2022_trade_by_sector.json --tariff USA:CHN=25% --format $f")
  cmds+=("dependency ../shared/data/wiod2011/full --matrix --format $f")
  cmds+=("dependency --critical --format $f")
done
cmds+=("shock --format json -o /dev/stdout")
cmds+=("draw --color-by impact --tariff USA:CAN:C29=25%")

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
i=0
for c in "${cmds[@]}"; do
  i=$((i + 1))
  f=$(printf '%s/%03d.txt' "$out" "$i")
  # shellcheck disable=SC2086 # the commands are word lists
  set +e
  "$bin" $c >"$f.out" 2>"$f.err"
  code=$?
  set -e
  { echo "\$ tradenet $c"; echo "exit $code"; echo "--- stderr"; cat "$f.err"; echo "--- stdout"; cat "$f.out"; } >"$f"
  rm "$f.out" "$f.err"
  echo "$(printf '%03d' "$i") tradenet $c" >>"$out/index.txt"
done

case $mode in
  record)
    rm -rf "$dir"
    mkdir -p "$dir"
    cp "$out"/* "$dir"/
    echo "recorded $i commands in $dir"
    ;;
  check)
    if diff -r "$dir" "$out" >"$out.diff"; then
      echo "all $i outputs byte-identical to $dir"
      rm -f "$out.diff"
    else
      head -60 "$out.diff"
      echo "... outputs differ from $dir (full diff: $out.diff)" >&2
      exit 1
    fi
    ;;
  *) echo "mode: record or check" >&2; exit 2 ;;
esac
