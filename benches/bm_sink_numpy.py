"""bm-sink by partner for every exporter of the full WIOD 2011 system with the numpy
transcription of exvatools' bm_snk (tests/fixtures/gvc/bm_sink.py: a fresh dense extraction
inverse per exporter), timed, and compared with tradenet's JSON of the same run.

Usage: python benches/bm_sink_numpy.py TRADENET_JSON   (from `tradenet gvc
       ../shared/data/wiod2011/full --method bm-sink --format json -o TRADENET_JSON`)
Prints the numpy time and the largest difference over every exporter, partner and term,
relative to the term (or to 1 for terms below 1).
"""
import csv
import gzip
import json
import sys
import time
from pathlib import Path

import numpy as np

here = Path(__file__).resolve().parent
sys.path.insert(0, str(here.parent / "tests/fixtures/gvc"))
import bm_sink  # noqa: E402

root = here.parent.parent / "shared/data/wiod2011/full"
out = sorted(csv.DictReader(open(root / "gross_output_2011.csv")), key=lambda r: r["country"])
ids = [r["node"] for r in out]
cty = [r["country"] for r in out]
countries = sorted(set(cty))
ix = {k: i for i, k in enumerate(ids)}
cix = {c: i for i, c in enumerate(countries)}
n = len(ids)
Z = np.zeros((n, n))
Y = np.zeros((n, len(countries)))
for r in csv.DictReader(gzip.open(root / "intermediate_flows_2011.csv.gz", "rt")):
    Z[ix[r["from"]], ix[r["to"]]] += float(r["value"])
for r in csv.DictReader(gzip.open(root / "final_demand_2011.csv.gz", "rt")):
    Y[ix[r["from"]], cix[r["to_country"]]] += float(r["value"])
x = np.array([float(r["gross_output"]) for r in out])
t = time.time()
res = {c: bm_sink.bm_sink(cty, countries, Z, Y, x, c) for c in countries}
el = time.time() - t
j = json.load(open(sys.argv[1]))
worst = 0.0
for e in j["exporters"]:
    for p in e["by_partner"]:
        ref = res[e["id"]][p["id"]]
        for k, v in p["terms"].items():
            d = abs(v - ref[k]) / max(abs(ref[k]), 1.0)
            assert d == d, (e["id"], p["id"], k)
            worst = max(worst, d)
print(f"numpy bm_snk, {len(countries)} exporters x {len(countries) - 1} partners: {el:.1f} s; "
      f"largest relative difference from tradenet {worst:.2e}")
