"""Run ecomplexity 0.5.3 on a country,product,value table, time it, and compare its values with
tradenet's JSON (`tradenet complexity FILE --country C --format json`).

Compared, with an absolute tolerance of 1e-9 (eigen-solver differences; EXPECTED.md's
suggestion): ECI, COI of every country; PCI of every product; density and COG of the
country's diversification candidates; exactly: diversity, ubiquity, sum of M.

Usage: python benches/complexity_ecomplexity.py TABLE.csv TRADENET.json
Exit 1 when a value differs by more than the tolerance.
"""

import json
import sys
import time

t0 = time.perf_counter()
import pandas as pd  # noqa: E402
from ecomplexity import ecomplexity  # noqa: E402

TOL = 1e-9


def main():
    table, tn_json = sys.argv[1], sys.argv[2]
    t1 = time.perf_counter()
    df = pd.read_csv(table, dtype={"country": str, "product": str})
    df["year"] = 2000
    t2 = time.perf_counter()
    cols = {"time": "year", "loc": "country", "prod": "product", "val": "value"}
    out = ecomplexity(df, cols, presence_test="rca", rca_mcp_threshold=1)
    t3 = time.perf_counter()
    print(
        f"ecomplexity 0.5.3: import {t1 - t0:.2f} s, read {t2 - t1:.2f} s, "
        f"ecomplexity() {t3 - t2:.2f} s"
    )

    with open(tn_json) as f:
        tn = json.load(f)
    worst = {}

    def check(what, mine, theirs, exact=False):
        d = abs(mine - theirs)
        worst[what] = max(worst.get(what, 0.0), d)
        if (d != 0) if exact else not (d <= TOL):
            sys.exit(f"{what}: tradenet {mine!r}, ecomplexity {theirs!r} (difference {d:.3g})")

    by_c = out.groupby("country").first()
    by_p = out.groupby("product").first()
    check("sum of M", tn["m_sum"], int(out["mcp"].sum()), exact=True)
    for c in tn["countries"]:
        r = by_c.loc[c["id"]]
        check("diversity", c["diversity"], int(r["diversity"]), exact=True)
        check("ECI", c["eci"], float(r["eci"]))
        check("COI", c["coi"], float(r["coi"]))
    for p in tn["products"]:
        r = by_p.loc[p["id"]]
        check("ubiquity", p["ubiquity"], int(r["ubiquity"]), exact=True)
        check("PCI", p["pci"], float(r["pci"]))
    prof = tn.get("country")
    if prof:
        cid = prof["country"]["id"]
        cell = out[out["country"] == cid].set_index("product")
        for cand in prof["candidates"]:
            r = cell.loc[cand["id"]]
            check("density", cand["density"], float(r["density"]))
            check("COG", cand["cog"], float(r["cog"]))
    print(
        f"equal within {TOL:g}: "
        + ", ".join(f"{k} (max difference {v:.1e})" for k, v in worst.items())
    )


if __name__ == "__main__":
    main()
