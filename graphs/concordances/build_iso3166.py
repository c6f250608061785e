#!/usr/bin/env python3
"""Write iso3166.csv: ISO 3166-1 numeric code -> alpha-3 and name, from the PyPI package pycountry.

    python -m pip install pycountry==26.2.16
    python graphs/concordances/build_iso3166.py

Current countries come first (pycountry.countries). Withdrawn codes (pycountry.historic_countries)
are added only where no current country uses the number, and where two withdrawn entities share a
number (891: Yugoslavia and Serbia and Montenegro) the later one is kept, as trade data uses it
(891 = Serbia and Montenegro, ...2005). Re-running gives identical bytes. tradenet reads the
table when a BACI file comes without its own country_codes_V*.csv; BACI's own exceptions
(842 = USA, 699 = IND, ...) are written in src/io/baci/codes.rs, not here.
"""
import csv
import importlib.metadata
import io
import pathlib

import pycountry

# Two withdrawn entities with one number: the one trade statistics use.
LATER = {"891": "SCG"}


def main():
    rows = {}
    for c in pycountry.countries:
        rows[c.numeric] = (c.alpha_3, c.name, "current")
    for c in sorted(pycountry.historic_countries, key=lambda c: c.alpha_3):
        num = getattr(c, "numeric", None)
        if not num or num in rows and rows[num][2] == "current":
            continue
        if num in LATER and c.alpha_3 != LATER[num]:
            continue
        rows[num] = (c.alpha_3, c.name, "withdrawn")
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["numeric", "alpha3", "name", "status"])
    for num in sorted(rows, key=int):
        a3, name, status = rows[num]
        w.writerow([int(num), a3, name, status])
    here = pathlib.Path(__file__).resolve().parent
    (here / "iso3166.csv").write_text(out.getvalue(), encoding="utf-8")
    print(f"iso3166.csv: {len(rows)} codes from pycountry {importlib.metadata.version('pycountry')}")


if __name__ == "__main__":
    main()
