"""Write an EXIOBASE 3-size table (49 regions x 163 sectors = 7,987 nodes; 7 final-demand
categories per region) in the layout pymrio's parse_exiobase3 reads (pymrio's own text format,
as ../shared/data/mrio-layouts/pymrio-mocks/exio3_mock and the published IOT zips):
file_parameters.json, A.txt and Y.txt (2 index columns, 2 header rows, then a names row),
x.txt (2 index columns, 1 header row), unit.txt. A is seeded random with 25% non-zero cells and
column sums below 0.6; x = (I - A)^-1 (row sums of Y). Prints the totals (sum Z = sum A diag(x),
sum Y, sum x) to compare with what the readers find.

Usage: python benches/gen_exio3.py --out DIR [--seed 7]
"""
import argparse
import json
from pathlib import Path

import numpy as np

ap = argparse.ArgumentParser()
ap.add_argument("--out", required=True)
ap.add_argument("--seed", type=int, default=7)
args = ap.parse_args()
out = Path(args.out)
out.mkdir(parents=True, exist_ok=True)
rng = np.random.default_rng(args.seed)
R, S = 49, 163
regions = [f"R{r:02d}" for r in range(R)]
sectors = [f"sector {s:03d}" for s in range(S)]
n = R * S
cats = ["Final consumption expenditure by households",
        "Final consumption expenditure by non-profit organisations serving households (NPISH)",
        "Final consumption expenditure by government", "Gross fixed capital formation",
        "Changes in inventories", "Changes in valuables", "Exports: Total (fob)"]

a = rng.random((n, n), dtype=np.float64)
a[rng.random((n, n)) > 0.25] = 0.0
a *= (0.6 * rng.random(n)) / np.maximum(a.sum(axis=0), 1e-300)
a = np.round(a, 12)
y = np.round(rng.gamma(0.5, 50.0, size=(n, R * len(cats))), 6)
x = np.linalg.solve(np.eye(n) - a, y.sum(axis=1))

def header(f, second_name, seconds):
    f.write("region\t\t" + "\t".join(r for r in regions for _ in seconds) + "\n")
    f.write(second_name + "\t\t" + "\t".join(s for _ in regions for s in seconds) + "\n")
    f.write("region\tsector" + "\t" * (len(regions) * len(seconds)) + "\n")

def body(f, m):
    for i in range(n):
        row = m[i]
        f.write(f"{regions[i // S]}\t{sectors[i % S]}\t")
        f.write("\t".join("0" if v == 0.0 else repr(float(v)) for v in row))
        f.write("\n")

with open(out / "A.txt", "w") as f:
    header(f, "sector", sectors)
    body(f, a)
with open(out / "Y.txt", "w") as f:
    header(f, "category", cats)
    body(f, y)
with open(out / "x.txt", "w") as f:
    f.write("region\tsector\tindout\n")
    for i in range(n):
        f.write(f"{regions[i // S]}\t{sectors[i % S]}\t{float(x[i])!r}\n")
with open(out / "unit.txt", "w") as f:
    f.write("region\tsector\tunit\n")
    for i in range(n):
        f.write(f"{regions[i // S]}\t{sectors[i % S]}\tM.EUR\n")
params = {"files": {k: {"name": f"{k}.txt", "nr_index_col": "2", "nr_header": h}
                    for k, h in [("A", "2"), ("Y", "2"), ("x", "1")]}, "systemtype": "IOSystem"}
params["files"]["unit"] = {"name": "unit.txt", "nr_index_col": "2", "nr_header": "1"}
(out / "file_parameters.json").write_text(json.dumps(params, indent=4))
(out / "metadata.json").write_text(json.dumps({"description": "generated EXIOBASE 3-size table", "name": "exio3_gen", "system": "ixi", "version": "gen", "history": []}, indent=4))
z = a * x[None, :]
tot = {"sum_z": float(z.sum()), "sum_y": float(y.sum()), "sum_x": float(x.sum()), "nonzero_a": int((a != 0).sum())}
(out / "totals.json").write_text(json.dumps(tot))
print(json.dumps(tot))
