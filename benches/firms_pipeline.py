#!/usr/bin/env python3
"""The Python pipeline of benches/firms.sh: what a strong researcher would write to get the
PageRank of every node of a ten-million-flow edge list, end to end.

    firms_pipeline.py EDGES.csv OUT.csv [--tol 1e-6] [--alpha 0.85]
    firms_pipeline.py --compare A.csv B.csv [--tol 1e-6]

Read with pandas' pyarrow CSV engine, number the ids with pd.factorize over the exporters
then the importers (so that the nodes come in order of first use, as tradenet numbers them),
sum parallel flows into a scipy CSR array, and run the power iteration with the mass of
dangling nodes (no out-flows) spread uniformly, until the L1 change of one step is below tol
(tradenet's `--tol` rule). Writes `id,pagerank`, nodes sorted by PageRank descending, values
as shortest round-trip decimals (pandas' default, as tradenet writes them).

--compare reads two id,pagerank files (this script's and tradenet's) and exits 1 unless they
hold the same ids with values within tol of each other.
"""
import argparse
import sys

import numpy as np
import pandas as pd
import scipy.sparse as sp


def pagerank(path, out, alpha, tol, max_iter=1000):
    df = pd.read_csv(path, engine="pyarrow")
    src, dst = df.columns[0], df.columns[1]
    ids = pd.concat([df[src], df[dst]], ignore_index=True)
    codes, uniques = pd.factorize(ids)
    m = len(df)
    n = len(uniques)
    rows = codes[:m]
    cols = codes[m:]
    w = df["value"].to_numpy(dtype=np.float64)
    del df, ids, codes
    # Rows are exporters: duplicate (row, col) pairs (parallel sector flows) are summed.
    a = sp.csr_array((w, (rows, cols)), shape=(n, n))
    a.sum_duplicates()
    del rows, cols, w
    out_w = np.asarray(a.sum(axis=1)).ravel()
    dangling = out_w == 0
    inv = np.divide(1.0, out_w, out=np.zeros_like(out_w), where=~dangling)
    # Transition P = D^-1 A; x_{k+1} = alpha * P^T x_k + (alpha * dangling mass + 1 - alpha) / n
    pt = (sp.diags_array(inv) @ a).T.tocsr()
    del a
    x = np.full(n, 1.0 / n)
    for it in range(max_iter):
        dmass = x[dangling].sum()
        x_new = alpha * (pt @ x) + (alpha * dmass + 1.0 - alpha) / n
        err = np.abs(x_new - x).sum()
        x = x_new
        if err < tol:
            break
    else:
        sys.exit(f"no convergence in {max_iter} iterations")
    order = np.argsort(-x, kind="stable")
    pd.DataFrame({"id": uniques[order], "pagerank": x[order]}).to_csv(out, index=False)
    return it + 1


def compare(a_path, b_path, tol):
    a = pd.read_csv(a_path, engine="pyarrow").set_index("id")["pagerank"]
    b = pd.read_csv(b_path, engine="pyarrow").set_index("id")["pagerank"]
    if len(a) != len(b) or not a.index.sort_values().equals(b.index.sort_values()):
        print(f"different node sets: {len(a)} vs {len(b)} ids", file=sys.stderr)
        return 1
    d = (a - b.reindex(a.index)).abs()
    worst = d.max()
    print(f"same {len(a)} ids; largest PageRank difference {worst:.3g} (tolerance {tol:g})")
    return 0 if worst <= tol else 1


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("paths", nargs=2)
    p.add_argument("--tol", type=float, default=1e-6)
    p.add_argument("--alpha", type=float, default=0.85)
    p.add_argument("--compare", action="store_true")
    a = p.parse_args()
    if a.compare:
        sys.exit(compare(*a.paths, a.tol))
    pagerank(a.paths[0], a.paths[1], a.alpha, a.tol)


if __name__ == "__main__":
    main()
