#!/usr/bin/env python3
"""Write a full-size synthetic OECD ICIO table in the 2023 *extended* layout, and its totals.

The row and column codes come, at run time, from the lists of the OECD's 2023 ReadMe kept in
../shared/data/mrio-layouts/oecd-icio-2023/ (row_items.csv, col_items.csv: 77 countries x 45
activities, 6 final-demand categories, TLS, VA, OUT). The extended layout adds the China and
Mexico split blocks MX1, MX2, CN1, CN2 after ROW, with the CHN and MEX blocks themselves empty
(as in the published extended files), so the table has (77 + 4) x 45 = 3,645 industry rows and
columns, 462 final-demand columns and an OUT column; then the rows TLS, VA, OUT.

Values are random (seeded) with the published shape: most cells non-zero, domestic blocks
denser than foreign ones, a few negative inventory changes, six decimals, zeros written `0`.
OUT = row sums of Z and Y; the OUT row = column sums of Z, TLS and VA.

Beside FILE it writes FILE.totals.json: sum_z, sum_y, sum_x (pymrio's sums of Z, Y and
x = Z.sum(1) + Y.sum(1), with CN*/MX* added into CHN/MEX), sum_va, nodes, flows (positive cells
of Z after merging) and the dimensions.

Usage (numpy needed; the peer venv has it):
    ~/.cache/tradenet-bench-venv/bin/python benches/gen_icio2023.py \
        [--out /tmp/tradenet-icio2023/2020.csv] [--seed 2023] [--countries N]
"""

import argparse
import csv
import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.normpath(os.path.join(HERE, "..", "..", "shared", "data", "mrio-layouts", "oecd-icio-2023"))
SPLITS = [("MX1", "MEX"), ("MX2", "MEX"), ("CN1", "CHN"), ("CN2", "CHN")]


def codes(name):
    with open(os.path.join(DATA, name), newline="", encoding="utf-8") as f:
        return [r["code"] for r in csv.DictReader(f)]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default="/tmp/tradenet-icio2023/2020.csv")
    ap.add_argument("--seed", type=int, default=2023)
    ap.add_argument("--countries", type=int, default=0, help="keep only the first N countries (and ROW, CHN, MEX); 0 = all 77")
    a = ap.parse_args()

    rows = codes("row_items.csv")
    cols = codes("col_items.csv")
    ind = [c for c in rows if "_" in c]
    assert rows[len(ind):] == ["TLS", "VA", "OUT"], rows[len(ind):]
    fd = [c for c in cols if "_" in c and c not in ind]
    assert cols == ind + fd + ["OUT"], "col_items.csv is not industries + final demand + OUT"
    countries = list(dict.fromkeys(c.split("_", 1)[0] for c in ind))
    sectors = list(dict.fromkeys(c.split("_", 1)[1] for c in ind))
    cats = list(dict.fromkeys(c.split("_", 1)[1] for c in fd))
    if a.countries:
        keep = countries[: a.countries]
        for c in ["CHN", "MEX", "ROW"]:
            if c not in keep:
                keep.append(c)
        countries = [c for c in countries if c in keep]
    regions = countries + [s for s, _ in SPLITS]
    ind = [f"{r}_{s}" for r in regions for s in sectors]
    fd = [f"{c}_{k}" for c in countries for k in cats]
    n, m, S = len(ind), len(fd), len(sectors)
    print(f"{len(countries)} countries + {len(SPLITS)} split blocks x {S} activities: "
          f"{n} industry rows, {n} + {m} + 1 columns", file=sys.stderr)

    rng = np.random.default_rng(a.seed)
    region_of = np.repeat(np.arange(len(regions)), S)
    country_of = np.array([countries.index(dict(SPLITS).get(r, r)) for r in regions])[region_of]
    empty = np.isin(np.array(regions)[region_of], ["CHN", "MEX"])  # blocks in the splits

    def cells(shape, density):
        v = np.round(rng.lognormal(mean=0.0, sigma=2.5, size=shape), 6)
        v[rng.random(shape) >= density] = 0.0
        return v

    same = country_of[:, None] == country_of[None, :]
    z = np.where(same, cells((n, n), 0.95), cells((n, n), 0.75))
    z[empty, :] = 0.0
    z[:, empty] = 0.0
    dest = np.repeat(np.arange(len(countries)), len(cats))
    y = np.where(country_of[:, None] == dest[None, :], cells((n, m), 0.95) * 50, cells((n, m), 0.5))
    invnt = np.array([f.endswith("_INVNT") for f in fd])
    flip = (rng.random((n, m)) < 0.3) & invnt[None, :]
    y[flip] = -y[flip]
    y[empty, :] = 0.0
    # A row's output is not negative: no inventory drawdown larger than what it makes.
    below = z.sum(axis=1) + y.sum(axis=1) < 0
    y[below] = np.abs(y[below])
    tls = cells(n, 0.99)
    va = np.round(cells(n, 1.0) * 20, 6)
    tls[empty] = 0.0
    va[empty] = 0.0
    tls_fd = cells(m, 0.9)
    out_col = z.sum(axis=1) + y.sum(axis=1)
    out_row = z.sum(axis=0) + tls + va

    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    fmt = lambda v: "0" if v == 0.0 else f"{v:.6f}"
    with open(a.out, "w", encoding="ascii", newline="") as f:
        f.write("," + ",".join(ind + fd + ["OUT"]) + "\n")
        for i, label in enumerate(ind):
            f.write(label + "," + ",".join(map(fmt, z[i].tolist())) + ","
                    + ",".join(map(fmt, y[i].tolist())) + "," + fmt(out_col[i]) + "\n")
        f.write("TLS," + ",".join(map(fmt, tls.tolist())) + "," + ",".join(map(fmt, tls_fd.tolist())) + ",\n")
        f.write("VA," + ",".join(map(fmt, va.tolist())) + "," + ",".join([""] * m) + ",\n")
        f.write("OUT," + ",".join(map(fmt, out_row.tolist())) + "," + ",".join([""] * m) + ",\n")

    # Totals after adding the split blocks into CHN and MEX, as pymrio does.
    target = np.array([countries.index(dict(SPLITS).get(r, r)) * S for r in regions])[region_of] + np.tile(np.arange(S), len(regions))
    nodes = len(countries) * S
    zm = np.zeros((nodes, nodes))
    np.add.at(zm, (target[:, None], target[None, :]), z)
    totals = {
        "file": os.path.abspath(a.out),
        "bytes": os.path.getsize(a.out),
        "seed": a.seed,
        "layout": "OECD ICIO 2023 extended",
        "rows": n + 3,
        "columns": n + m + 2,
        "nodes": nodes,
        "flows": int((zm > 0).sum()),
        "sum_z": float(z.sum()),
        "sum_y": float(y.sum()),
        "sum_x": float(z.sum() + y.sum()),
        "sum_va": float(tls.sum() + va.sum()),
    }
    with open(a.out + ".totals.json", "w") as f:
        json.dump(totals, f, indent=1)
    print(json.dumps(totals), file=sys.stderr)


if __name__ == "__main__":
    main()
