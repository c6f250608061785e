#!/usr/bin/env bash
# General equilibrium timings (README, Performance): tradenet's Caliendo-Parro NAFTA experiment
# (two solves, at the peer's tol 1e-7 and at 1e-12), the full WIOD 2011 system, and the gravity
# model beside USITC gegravity 0.3 run here in the same go. The R peer cp2015 (3.0 s for one
# NAFTA solve at tol 1e-7) is not installable on this machine: its time is from
# ../shared/bench/RESULTS-peers.md.
#
# Usage: benches/ge_bench.sh [RUNS]    (PYTHON=path to a python with gegravity 0.3)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-20}"
py="${PYTHON:-$HOME/.cache/tradenet-bench-venv/bin/python}"
cargo build --release --quiet --example ge_timing --example gravity_timing
echo "== tradenet (release, $runs runs each)"
./target/release/examples/ge_timing "$runs"
./target/release/examples/gravity_timing
if "$py" -c 'import gegravity' 2>/dev/null; then
    echo "== gegravity 0.3 (3 runs)"
    "$py" benches/ge_gegravity.py 3 | tail -1
else
    echo "== gegravity 0.3: not installed ($py -m pip install gegravity==0.3)"
fi
