"""Value added in gross exports for every exporter of the full WIOD 2011 system, in numpy, from
the formulas of ../shared/data/gvc/iciotest/EXPECTED.md (decompr's Leontief terms), timed, and
compared with tradenet's JSON of the same run.

Usage: python benches/gvc_numpy.py TRADENET_JSON   (from `tradenet gvc ../shared/data/wiod2011/full
       --method leontief --format json -o TRADENET_JSON`)
Prints the numpy time (inverse plus every exporter's terms) and the largest difference, relative
to the exporter's gross exports.
"""
import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

root = Path(__file__).resolve().parent.parent.parent / "shared/data/wiod2011/full"
go = pd.read_csv(root / "gross_output_2011.csv")
zf = pd.read_csv(root / "intermediate_flows_2011.csv.gz")
fd = pd.read_csv(root / "final_demand_2011.csv.gz")
# The system's order: countries sorted, graph (file) order within.
go["k"] = range(len(go))
go = go.sort_values(["country", "k"], kind="stable").reset_index(drop=True)
idx = {n: i for i, n in enumerate(go["node"])}
countries = sorted(go["country"].unique())
cix = {c: k for k, c in enumerate(countries)}
n, g = len(go), len(countries)
x = go["gross_output"].to_numpy(float)
z = np.zeros((n, n))
np.add.at(z, (zf["from"].map(idx).to_numpy(), zf["to"].map(idx).to_numpy()), zf["value"].to_numpy(float))
y = np.zeros((n, g))
np.add.at(y, (fd["from"].map(idx).to_numpy(), fd["to_country"].map(cix).to_numpy()), fd["value"].to_numpy(float))
country_of = go["country"].map(cix).to_numpy()

t0 = time.perf_counter()
with np.errstate(divide="ignore", invalid="ignore"):
    a = np.where(x > 0, z / x, 0.0)
    vc = np.where(x > 0, (x - z.sum(axis=0)) / x, 0.0)
b = np.linalg.inv(np.eye(n) - a)
terms = {}
for s, c in enumerate(countries):
    S = np.flatnonzero(country_of == s)
    notS = np.flatnonzero(country_of != s)
    e = z[np.ix_(S, notS)].sum(axis=1) + np.delete(y[S], s, axis=1).sum(axis=1)
    l_ss = np.linalg.inv(np.eye(len(S)) - a[np.ix_(S, S)])
    dc = vc[S] @ (b[np.ix_(S, S)] @ e)
    dva = vc[S] @ (l_ss @ e)
    vax = vc[S] @ (b[S] @ np.delete(y, s, axis=1)).sum(axis=1)
    exgr = e.sum()
    terms[c] = {"EXGR": exgr, "DC": dc, "DVA": dva, "VAX": vax, "REF": dva - vax, "DDC": dc - dva, "FC": exgr - dc}
secs = time.perf_counter() - t0

ours = json.load(open(sys.argv[1]))
print(f"numpy {np.__version__}: inverse + {g} exporters' Leontief terms in {secs:.3f} s")
for k in ["EXGR", "DC", "DVA", "DDC", "FC", "VAX", "REF"]:
    worst = (0.0, "")
    for ex in ours["exporters"]:
        want, got = terms[ex["id"]][k], ex["terms"][k]
        # Relative to the exporter's gross exports (REF of a small exporter is a difference of
        # two large numbers).
        d = abs(got - want) / terms[ex["id"]]["EXGR"]
        if d >= worst[0]:
            worst = (d, ex["id"])
    print(f"  {k:5} largest difference from tradenet {worst[0]:.1e} of EXGR ({worst[1]})")
print("  (REF here is DVA - VAX, as EXPECTED.md defines it; tradenet computes REF = REF1 + REF2 directly,")
print("   which equals it only where x = Z 1 + Y 1: WIOD's x departs from that by 0.04% of output)")
