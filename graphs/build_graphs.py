#!/usr/bin/env python3
"""Build the bundled tradenet graphs (native format, FORMAT.md section 1) from the shared real data.

Usage:  python3 graphs/build_graphs.py [--data DIR] [--out DIR]

By default the data is read from ../shared/data relative to the repository root (the parent of this
script's folder) and the graphs are written next to this script. Standard library only; the output is
deterministic (same bytes on every run), one node / flow per line so that git diffs stay readable.

Files written:
  wiod2011_focus8.json            input-output graph, 8 regions x 35 industries, 2011 (the tool's default graph)
  world_trade_2016.json           UN Comtrade merchandise exports 2016, all economies, sector "total"
  wiod2011_trade_by_sector.json   WIOD 2011 bilateral sales, 41 economies x 35 exporting industries
  wiod_trade_1995_2011.json       WIOD bilateral sales 1995-2011, sector "total", one flow per year
  tiny.json                       5 countries x 2 industries, real WIOD 2011 values rounded to whole bn USD
  crude_oil_2021.json             BACI crude-oil trade 2021 (HS 270900), 182 nodes, from the PyPI package
                                  quantecon-book-networks 1.6 (MIT): --crude-oil FILE, or found installed
  README.md                       table of the above with the counts printed by this script
"""

import argparse
import csv
import json
import math
import os
import sys
from collections import Counter, defaultdict

FORMAT = "tradenet/1"
BN = 1_000_000_000

# ----------------------------------------------------------------------------------------------
# Sources (full citations written into meta.source)
# ----------------------------------------------------------------------------------------------

WIOD_ORIGIN = (
    "World Input-Output Database (WIOD), 2013 release, University of Groningen et al. "
    "(Timmer et al. 2015, 'An Illustrated User Guide to the World Input-Output Database: the Case of "
    "Global Automotive Production', Review of International Economics 23:575-605); million USD, current "
    "prices; via R package 'wiod' (B. Quast, O. Reiter), GitHub bquast/wiod commit "
    "59a28ac22fbd7751ea84c0f33722b5246b0af46d"
)
COMTRADE_ORIGIN = (
    "UN Comtrade bilateral merchandise exports, current USD, as distributed in R package penppml 0.2.4 "
    "(Breinlich, Corradi, Rocha, Ruta, Santos Silva, Zylkin et al.), GitHub cran/penppml commit "
    "422ae24bae6a1b55b23639510d812e07287a44fd, data/trade.rda (column 'export')"
)


def wiod_source(rdata, csv_files):
    return f"{WIOD_ORIGIN}, {rdata}; converted to tradenet shared data {', '.join(csv_files)} (USD = million USD x 1e6)"


def comtrade_source(csv_file):
    return f"{COMTRADE_ORIGIN}; converted to tradenet shared data {csv_file}"


# ----------------------------------------------------------------------------------------------
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
COUNTRIES["ROW"] = ("Rest of world", REST_OF_WORLD)  # WIOD RoW
COUNTRIES["ROW34"] = ("Rest of world", REST_OF_WORLD)  # focus8: 33 other WIOD countries + WIOD RoW


def country(code):
    """(name, region) of a country code; unknown codes fail loudly so the table gets fixed."""
    if code not in COUNTRIES:
        raise SystemExit(f"error: country code {code!r} has no name/region in COUNTRIES; add it")
    return COUNTRIES[code]


def country_node(code):
    name, region = country(code)
    return {"id": code, "name": name, "region": region}


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


def sector_key(sector_id):
    """Natural order of WIOD sectors: c1 < c2 < ... < c35; other ids after, alphabetically."""
    if sector_id[:1] == "c" and sector_id[1:].isdigit():
        return (0, int(sector_id[1:]), "")
    return (1, 0, sector_id)


def bn(value, digits=2):
    return f"{value / BN:,.{digits}f}"


def nace_rev1_is_goods(code):
    """Tradable goods in NACE Rev.1: sections A-B (AtB, agriculture, forestry, fishing),
    C (mining) and D (manufacturing, divisions 15-37). Not goods: E (electricity, gas, water)
    and every later section. WIOD writes divisions as '15t16', '27t28', '34t35', ..."""
    if code in ("AtB", "A", "B", "C"):
        return True
    first = code.split("t")[0]
    return first.isdigit() and 15 <= int(first) <= 37


def read_sectors(data):
    """WIOD's 35 industries with their goods flag (c1-c16 goods, from the NACE codes)."""
    rows = read_csv(os.path.join(data, "wiod2011", "sectors.csv"))
    rows.sort(key=lambda r: sector_key(r["sector"]))
    return [{"id": r["sector"], "name": r["description"], "goods": nace_rev1_is_goods(r["nace_rev1"])}
            for r in rows]


def split_by_sign(rows, value_col="value"):
    """Return (positive rows, dropped non-positive rows) keeping the row order."""
    keep = [r for r in rows if number(r[value_col]) > 0]
    drop = [r for r in rows if number(r[value_col]) <= 0]
    return keep, drop


def describe_dropped(drop, label):
    if not drop:
        return f"No {label} rows were dropped (none is zero or negative)."
    neg = [r for r in drop if number(r["value"]) < 0]
    zero = len(drop) - len(neg)
    parts = []
    if neg:
        total = sum(number(r["value"]) for r in neg)
        parts.append(f"{len(neg)} negative {label} rows dropped (sum {bn(total, 3)} bn USD)")
    if zero:
        parts.append(f"{zero} zero {label} rows dropped")
    return "; ".join(parts) + "."


def trade_flow_sort(flows, sectors):
    order = {s["id"]: i for i, s in enumerate(sectors)}
    flows.sort(key=lambda f: (f["from"], f["to"], order[f["sector"]], f.get("year", 0)))


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
            fd = n.get("final_demand", {})
            if any(not math.isfinite(v) for v in fd.values()):
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
# 1. WIOD 2011 input-output graph, 8 regions x 35 industries
# ----------------------------------------------------------------------------------------------


def build_focus8(data):
    base = os.path.join(data, "wiod2011")
    files = [f"wiod2011/focus8_io_{part}_2011.csv" for part in ("intermediate_flows", "final_demand", "gross_output")]
    z_rows = read_csv(os.path.join(base, "focus8_io_intermediate_flows_2011.csv"))
    fd_rows = read_csv(os.path.join(base, "focus8_io_final_demand_2011.csv"))
    x_rows = read_csv(os.path.join(base, "focus8_io_gross_output_2011.csv"))
    sectors = read_sectors(data)
    sector_name = {s["id"]: s["name"] for s in sectors}

    for r in z_rows + fd_rows + x_rows:
        assert r["year"] == "2011", r

    # Regions in source order, industries c1..c35 within each region.
    regions = list(dict.fromkeys(r["region"] for r in x_rows))
    node_ids = [f"{reg}:{s['id']}" for reg in regions for s in sectors]
    output = {f"{r['region']}:{r['sector']}": number(r["gross_output"]) for r in x_rows}
    assert set(output) == set(node_ids) and len(x_rows) == len(node_ids), "gross output is not regions x sectors"

    final_demand = defaultdict(dict)
    for r in fd_rows:
        v = number(r["value"])
        if v != 0:
            final_demand[f"{r['from_region']}:{r['from_sector']}"][r["to_region"]] = v
    region_order = {reg: i for i, reg in enumerate(regions)}

    nodes = []
    for nid in node_ids:
        reg, sec = nid.split(":")
        cname, cregion = country(reg)
        fd = final_demand.get(nid, {})
        nodes.append({
            "id": nid, "country": reg, "sector": sec, "name": f"{cname}: {sector_name[sec]}",
            "region": cregion, "output": output[nid],
            "final_demand": {k: fd[k] for k in sorted(fd, key=region_order.__getitem__)},
        })

    z_keep, z_drop = split_by_sign(z_rows)
    index = {nid: i for i, nid in enumerate(node_ids)}
    flows = []
    for r in z_keep:
        src, dst = f"{r['from_region']}:{r['from_sector']}", f"{r['to_region']}:{r['to_sector']}"
        flows.append({"from": src, "to": dst, "sector": r["from_sector"], "value": number(r["value"])})
    flows.sort(key=lambda f: (index[f["from"]], index[f["to"]]))

    # Facts for the notes.
    zero_output = [nid for nid in node_ids if output[nid] == 0]
    touched = {f["from"] for f in flows} | {f["to"] for f in flows} | set(final_demand)
    isolated = [nid for nid in node_ids if nid not in touched]
    no_inter = [nid for nid in node_ids if output[nid] > 0 and nid not in {f["from"] for f in flows} | {f["to"] for f in flows}]
    neg_fd = [(nid, k, v) for nid in node_ids for k, v in final_demand.get(nid, {}).items() if v < 0]
    sales = Counter()
    for f in flows:
        sales[f["from"]] += f["value"]
    for nid, fd in final_demand.items():
        sales[nid] += sum(fd.values())
    gaps = sorted((abs(sales[n] - output[n]) / output[n], n) for n in node_ids if output[n] > 0)
    median_gap = gaps[len(gaps) // 2][0]
    max_gap, max_gap_node = gaps[-1]
    self_flows = sum(1 for f in flows if f["from"] == f["to"])

    notes = (
        "Input-output system 2011 aggregated to 8 regions: USA, CAN, MEX, KOR, JPN, CHN, DEU and ROW34 "
        "(the other 33 WIOD countries plus WIOD RoW). Flows are intermediate deliveries Z from supplier node "
        f"to buyer node, including domestic blocks and {self_flows} within-industry self-flows; each flow "
        "carries the supplier's sector; zero cells are absent. "
        + describe_dropped(z_drop, "intermediate-flow") + " "
        "final_demand = WIOD's 5 final-demand categories (households, NPISH, government, GFCF, inventory "
        f"changes) summed by destination region; zero entries omitted; {len(neg_fd)} entries are negative "
        f"(inventory changes, sum {bn(sum(v for _, _, v in neg_fd), 3)} bn USD: "
        + ", ".join(f"{n}->{k}" for n, k, _ in neg_fd) + ") and are kept. "
        f"{len(zero_output)} nodes have zero gross output and no flows or final demand (industry absent in "
        f"that country), kept as isolated nodes: {', '.join(zero_output)}. "
        + (f"{', '.join(no_inter)} {'has' if len(no_inter) == 1 else 'have'} output but no intermediate "
           "flows (sells only to final demand). " if no_inter else "")
        + "Source values are rounded to whole million USD, so output = intermediate sales + final demand "
        f"holds only approximately (median gap {median_gap:.2%}, largest {max_gap:.1%} at {max_gap_node}). "
        "Regions are UN M49 continents. Industries are WIOD/NACE Rev.1 (c15 Transport equipment mixes cars, "
        "parts, aircraft, ships and rail)."
    )
    assert not isolated or set(isolated) == set(zero_output), isolated
    meta = make_meta(
        "WIOD 2011: North America, East Asia, Germany and the rest (8 regions x 35 industries)", 2011,
        wiod_source("data/wiot_2011.RData", files), notes, "io",
    )
    return make_graph(meta, sectors, nodes, flows), {"years": "2011", "source": "WIOD 2013 release"}


# ----------------------------------------------------------------------------------------------
# 2. UN Comtrade 2016 trade graph
# ----------------------------------------------------------------------------------------------

COMTRADE_CSV = "comtrade-1964-2016/edges_total_1964_2016.csv"


def build_world_trade_2016(data, year=2016):
    rows = read_csv(os.path.join(data, COMTRADE_CSV))
    assert all(r["sector"] == "total" for r in rows)
    year_rows = [r for r in rows if int(r["year"]) == year]
    keep, drop = split_by_sign(year_rows)
    sectors = [{"id": "total", "name": "All merchandise", "goods": True}]
    flows = [{"from": r["exporter"], "to": r["importer"], "sector": "total", "value": number(r["value"])} for r in keep]
    trade_flow_sort(flows, sectors)
    codes = sorted({f["from"] for f in flows} | {f["to"] for f in flows})
    nodes = [country_node(c) for c in codes]

    # Facts for the notes.
    exporters = {f["from"] for f in flows}
    importers = {f["to"] for f in flows}
    exports = Counter()
    imports = Counter()
    for f in flows:
        exports[f["from"]] += f["value"]
        imports[f["to"]] += f["value"]
    prev = year - 4
    prev_exports = Counter()
    for r in rows:
        if int(r["year"]) == prev:
            prev_exports[r["exporter"]] += number(r["value"])
    gone = sorted((c for c in prev_exports if c not in exporters), key=lambda c: (-prev_exports[c], c))
    pseudo = [c for c in codes if c in PSEUDO_AREAS]
    other = [c for c in codes if country(c)[1] == OTHER and c not in PSEUDO_AREAS]
    non_iso = [c for c in NON_ISO_CODES if c in exporters or c in importers]
    total = sum(f["value"] for f in flows)

    blx_partners = sum(1 for f in flows if f["from"] == "BLX")
    if "BEL" in exporters:
        belgium = ""
    elif "BLX" in exporters:
        belgium = (f"Belgium has no BEL code here: it appears as BLX (Belgium-Luxembourg) in every year and does "
                   f"report exports in {year} ({bn(exports['BLX'], 1)} bn USD to {blx_partners} partners). ")
    else:
        belgium = f"Belgium (BEL/BLX) is missing as an exporter in {year}. "
    notes = (
        f"Merchandise exports (goods only, no services) in {year}, current USD, total over all products "
        "(sector 'total'). Values look exporter-reported (CHN->USA matches China customs; CAN->USA and "
        "USA->CAN are 10-20% below national statistics). Zero rows were dropped upstream"
        + (f"; {describe_dropped(drop, 'flow')} " if drop else " and no value here is negative. ")
        + f"{len(exporters)} exporters and {len(importers)} importers ({len(codes)} nodes): economies that did "
        "not report appear only as importers (mirror flows are not filled in); exporters in "
        f"{prev} that are absent in {year}: {', '.join(gone)}. " + belgium
        + "Codes are kept as in the source; non-ISO ones: "
        + ", ".join(f"{c} = {country(c)[0]}" for c in non_iso) + ". "
        f"Comtrade pseudo-areas kept as nodes with region Other: "
        + ", ".join(f"{c} ({bn(imports[c], 1)} bn)" for c in pseudo)
        + (f"; also region Other: {', '.join(other)} (Antarctic)" if other else "")
        + f". Total {total / 1e12:.2f} trn USD (world merchandise exports {year} about 16 trn). "
        "Regions are UN M49 continents. Comtrade redistribution terms apply (non-commercial use)."
    )
    meta = make_meta(f"World merchandise trade {year} (UN Comtrade, {len(codes)} economies)", year,
                     comtrade_source(COMTRADE_CSV), notes, "trade")
    return make_graph(meta, sectors, nodes, flows), {"years": str(year), "source": "UN Comtrade via penppml"}


# ----------------------------------------------------------------------------------------------
# 3. WIOD 2011 trade by sector, 41 economies x 35 industries
# ----------------------------------------------------------------------------------------------

WIOD_SECTOR_CSV = "wiod2011/edges_by_sector_2011.csv"
WIOD_TOTAL_CSV = "wiod2011/edges_total_1995_2011.csv"
WIOD_CODE_NOTE = "WIOD code ROM is written ROU; ROW is WIOD's rest of the world (not an ISO code), region 'Rest of world'."


def wiod_trade_flows(rows, with_year):
    flows = []
    for r in rows:
        f = {"from": r["exporter"], "to": r["importer"], "sector": r["sector"]}
        if with_year:
            f["year"] = int(r["year"])
        f["value"] = number(r["value"])
        flows.append(f)
    return flows


def rows_text(rows, column="value", with_year=False):
    """'KOR->ROW c2 -0.163 bn' for each row (the year added for multi-year files)."""
    return ", ".join(f"{r['exporter']}->{r['importer']} {r['sector']}" + (f" {r['year']}" if with_year else "")
                     + f" {bn(number(r[column]), 3)} bn" for r in rows)


def build_wiod_by_sector(data):
    rows = read_csv(os.path.join(data, WIOD_SECTOR_CSV))
    for r in rows:
        assert r["year"] == "2011", r
        assert number(r["value"]) == number(r["value_intermediate"]) + number(r["value_final"]), r
    keep, drop = split_by_sign(rows)
    sectors = read_sectors(data)
    flows = wiod_trade_flows(keep, with_year=False)
    trade_flow_sort(flows, sectors)
    codes = sorted({r["exporter"] for r in rows} | {r["importer"] for r in rows})
    nodes = [country_node(c) for c in codes]
    notes = (
        "Cross-border sales 2011 (goods and services) by exporting industry (WIOD/NACE Rev.1, c1..c35): "
        "value = intermediate + final demand sold to the importing economy; domestic sales excluded. "
        + describe_dropped(drop, "flow")
        + (f" They are final-demand inventory drawdowns: {rows_text(drop)}." if drop else "")
        + " Zero cells are absent. Source values are rounded to whole million USD. "
        + WIOD_CODE_NOTE + " Regions are UN M49 continents (Cyprus and Turkey in Asia). "
        "c15 Transport equipment mixes cars, parts, aircraft, ships and rail."
    )
    meta = make_meta(f"WIOD 2011 bilateral trade by industry ({len(codes)} economies x {len(sectors)} industries)",
                     2011, wiod_source("data/wiot_2011.RData", [WIOD_SECTOR_CSV]), notes, "trade")
    return make_graph(meta, sectors, nodes, flows), {"years": "2011", "source": "WIOD 2013 release"}


# ----------------------------------------------------------------------------------------------
# 4. WIOD bilateral trade totals 1995-2011
# ----------------------------------------------------------------------------------------------


def build_wiod_1995_2011(data):
    rows = read_csv(os.path.join(data, WIOD_TOTAL_CSV))
    for r in rows:
        assert r["sector"] == "total", r
        assert number(r["value"]) == number(r["value_intermediate"]) + number(r["value_final"]), r
    keep, drop = split_by_sign(rows)
    # Goods and services together: no goods flag (a tariff must name the sector).
    sectors = [{"id": "total", "name": "All industries (goods and services)"}]
    flows = wiod_trade_flows(keep, with_year=True)
    trade_flow_sort(flows, sectors)
    codes = sorted({r["exporter"] for r in rows} | {r["importer"] for r in rows})
    nodes = [country_node(c) for c in codes]
    years = sorted({f["year"] for f in flows})
    neg_final = [r for r in keep if number(r["value_final"]) < 0]
    notes = (
        f"Multi-year graph: every flow carries its year ({years[0]}-{years[-1]}, {len(years)} years); "
        "meta.year is omitted. Cross-border sales of goods and services, all industries (sector 'total'), "
        "value = intermediate + final demand, current USD of each year (no deflation). "
        + describe_dropped(drop, "flow")
        + (f" Kept with a negative final-demand part (inventory change) but a positive total: "
           f"{rows_text(neg_final, 'value_final', with_year=True)} (final part)." if neg_final else "")
        + " Zero cells are absent. Source values are rounded to whole million USD. "
        + WIOD_CODE_NOTE + " Regions are UN M49 continents (Cyprus and Turkey in Asia)."
    )
    meta = make_meta(f"WIOD bilateral trade {years[0]}-{years[-1]} ({len(codes)} economies, totals)", None,
                     wiod_source(f"data/wiot_{years[0]}.RData ... data/wiot_{years[-1]}.RData", [WIOD_TOTAL_CSV]),
                     notes, "trade")
    return make_graph(meta, sectors, nodes, flows), {"years": f"{years[0]}-{years[-1]}", "source": "WIOD 2013 release"}


# ----------------------------------------------------------------------------------------------
# 5. Tiny hand-checkable graph
# ----------------------------------------------------------------------------------------------

TINY_COUNTRIES = ("USA", "CAN", "MEX", "KOR", "JPN")
TINY_SECTORS = ("c12", "c15")
TINY_MIN_BN = 1  # keep flows of at least this many bn USD after rounding (1 = drop only those that round to 0)


def round_bn(value):
    """Round half up to whole bn USD (integer arithmetic, no float surprises)."""
    return (value + BN // 2) // BN * BN


def build_tiny(data):
    rows = read_csv(os.path.join(data, WIOD_SECTOR_CSV))
    picked = [r for r in rows if r["exporter"] in TINY_COUNTRIES and r["importer"] in TINY_COUNTRIES
              and r["sector"] in TINY_SECTORS]
    sectors = [s for s in read_sectors(data) if s["id"] in TINY_SECTORS]
    flows, dropped = [], 0
    for r in picked:
        v = number(r["value"])
        assert isinstance(v, int)
        rounded = round_bn(v)
        if rounded >= TINY_MIN_BN * BN:
            flows.append({"from": r["exporter"], "to": r["importer"], "sector": r["sector"], "value": rounded})
        else:
            dropped += 1
    trade_flow_sort(flows, sectors)
    nodes = [country_node(c) for c in sorted(TINY_COUNTRIES)]
    notes = (
        "Values rounded (half up) to whole bn USD for hand checking; flows that round to "
        + ("0" if TINY_MIN_BN == 1 else f"less than {TINY_MIN_BN} bn") + " are dropped "
        f"({dropped} of {len(picked)} non-zero country-pair-industry cells). Real data: WIOD 2011 cross-border "
        "sales (intermediate + final demand) of c12 Basic metals and fabricated metal and c15 Transport "
        f"equipment among {', '.join(TINY_COUNTRIES)}; source file {WIOD_SECTOR_CSV}."
    )
    meta = make_meta("Tiny: North Pacific metals and transport equipment 2011 (whole bn USD)", 2011,
                     wiod_source("data/wiot_2011.RData", [WIOD_SECTOR_CSV]), notes, "trade")
    return make_graph(meta, sectors, nodes, flows), {"years": "2011", "source": "WIOD 2013 release, rounded"}


# ----------------------------------------------------------------------------------------------
# 7. Crude-oil trade 2021, from the PyPI package quantecon-book-networks (MIT licence)
# ----------------------------------------------------------------------------------------------

CRUDE_PACKAGE = "quantecon-book-networks 1.6"
CRUDE_FILE = "quantecon_book_networks/data/crude_oil/data.csv"
# Rows with an empty country code (BACI areas without an ISO3 code) become this one node.
CRUDE_BLANK = "NES"


def find_crude_oil():
    """data.csv of the installed package, if any (located without importing it)."""
    import importlib.util

    spec = importlib.util.find_spec("quantecon_book_networks")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = os.path.join(list(spec.submodule_search_locations)[0], "data", "crude_oil", "data.csv")
    return path if os.path.exists(path) else None


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
# Reference checks (from the SOURCE.md files)
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
    by_sector = load(os.path.join(out, "wiod2011_trade_by_sector.json"))
    world = load(os.path.join(out, "world_trade_2016.json"))
    focus8 = load(os.path.join(out, "wiod2011_focus8.json"))
    can_exports = [f for f in world["flows"] if f["from"] == "CAN"]
    share = sum(f["value"] for f in can_exports if f["to"] == "USA") / sum(f["value"] for f in can_exports)
    results = [
        check("WIOD 2011 c15 CAN->USA, bn USD", round(flow_value(by_sector, "CAN", "USA", "c15") / BN, 1), 59.8),
        check("WIOD 2011 c15 KOR->CAN, bn USD", round(flow_value(by_sector, "KOR", "CAN", "c15") / BN, 2), 2.42),
        check("Comtrade 2016 share of CAN exports to USA, %", round(share * 100, 1), 77.6),
        check("focus8 nodes", len(focus8["nodes"]), 280),
        check("focus8 USA:c1 -> USA:c1, USD", flow_value(focus8, "USA:c1", "USA:c1", "c1"), 68_166_000_000),
    ]
    return all(results)


# ----------------------------------------------------------------------------------------------
# README
# ----------------------------------------------------------------------------------------------


def render_readme(summary, tiny):
    lines = [
        "# Bundled graphs",
        "",
        "Native tradenet graph files (`tradenet/1`, see FORMAT.md section 1) built from the real data in",
        "`../shared/data` by",
        "",
        "```",
        "python3 graphs/build_graphs.py            # or: --data DIR --out DIR",
        "```",
        "",
        "The script uses only the Python standard library and writes the same bytes on every run (one",
        "sector, node or flow per line). Do not edit the files by hand: change the script and re-run it.",
        "Each file's `meta.source` has the full citation and `meta.notes` lists what was dropped and why.",
        "",
        "| file | kind | nodes | flows | sectors | years | source |",
        "|---|---|---|---|---|---|---|",
    ]
    for s in summary:
        lines.append(f"| `{s['file']}` | {s['kind']} | {s['nodes']} | {s['flows']} | {s['sectors']} | {s['years']} | {s['source']} |")
    lines += [
        "",
        "- `wiod2011_focus8.json` is the tool's default graph: an input-output graph of 8 regions (USA, CAN,",
        "  MEX, KOR, JPN, CHN, DEU, ROW34 = the other 33 WIOD countries + WIOD RoW) x 35 industries, with",
        "  gross `output` and `final_demand` by destination region on every node (4 entries negative:",
        "  inventory changes; 4 nodes with zero output kept as isolated nodes).",
        "- Regions are UN M49 continents (Africa, Americas, Asia, Europe, Oceania; Cyprus and Turkey are in",
        "  Asia), `Rest of world` for WIOD's RoW / ROW34, `Other` for Comtrade pseudo-areas and Antarctica.",
        "- `crude_oil_2021.json`: crude-oil (HS 270900) trade 2021 from CEPII BACI as cleaned by QuantEcon and",
        "  shipped in the PyPI package quantecon-book-networks 1.6 (MIT licence), file",
        "  `quantecon_book_networks/data/crude_oil/data.csv`; the script finds the installed package (or takes",
        "  `--crude-oil FILE`). Rows with an empty country code are one node `NES`. Not strongly connected and",
        "  nearly bipartite: the test case for eigenvector centrality's convergence (issue #12).",
        "- Licences: WIOD data is free to use with citation (Timmer et al. 2015); the Comtrade-derived numbers",
        "  carry UN Comtrade's dissemination terms (non-commercial use); the crude-oil graph comes from an",
        "  MIT-licensed package (Copyright (c) 2022 QuantEcon; BACI itself is CEPII's, Etalab 2.0 open licence).",
        "",
        "`tiny.json` (whole bn USD, check by hand):",
        "",
        "| from | to | sector | value (bn USD) |",
        "|---|---|---|---|",
    ]
    for f in tiny["flows"]:
        lines.append(f"| {f['from']} | {f['to']} | {f['sector']} | {f['value'] // BN} |")
    return "\n".join(lines) + "\n"


# ----------------------------------------------------------------------------------------------
# Main
# ----------------------------------------------------------------------------------------------


def main(argv=None):
    here = os.path.dirname(os.path.abspath(__file__))
    repo_root = os.path.dirname(here)
    parser = argparse.ArgumentParser(description="Build the bundled tradenet graphs from the shared real data.")
    parser.add_argument("--data", default=os.path.join(repo_root, "..", "shared", "data"),
                        help="shared data folder (default: ../shared/data relative to the repository root)")
    parser.add_argument("--out", default=here, help="output folder (default: the folder of this script)")
    parser.add_argument("--crude-oil", default=None,
                        help=f"{CRUDE_FILE} of {CRUDE_PACKAGE} (default: found in the installed package; "
                             "pip install quantecon-book-networks==1.6)")
    args = parser.parse_args(argv)
    crude = args.crude_oil or find_crude_oil()
    if crude is None:
        parser.error(f"{CRUDE_FILE} not found: pip install quantecon-book-networks==1.6, or pass --crude-oil FILE")
    data = os.path.normpath(args.data)
    out = os.path.normpath(args.out)
    if not os.path.isdir(os.path.join(data, "wiod2011")):
        parser.error(f"no wiod2011/ folder in data directory {data}")
    os.makedirs(out, exist_ok=True)

    builders = [
        ("wiod2011_focus8.json", build_focus8),
        ("world_trade_2016.json", build_world_trade_2016),
        ("wiod2011_trade_by_sector.json", build_wiod_by_sector),
        ("wiod_trade_1995_2011.json", build_wiod_1995_2011),
        ("tiny.json", build_tiny),
    ]
    summary = []
    tiny = None
    for name, build in builders:
        graph, info = build(data)
        path = os.path.join(out, name)
        write_graph(path, graph)
        summary.append({"file": name, "kind": graph["meta"]["kind"], "nodes": len(graph["nodes"]),
                        "flows": len(graph["flows"]), "sectors": len(graph["sectors"]), **info})
        if name == "tiny.json":
            tiny = graph

    graph, info = build_crude_oil(crude)
    write_graph(os.path.join(out, "crude_oil_2021.json"), graph)
    summary.append({"file": "crude_oil_2021.json", "kind": "trade", "nodes": len(graph["nodes"]),
                    "flows": len(graph["flows"]), "sectors": 1, **info})

    write_bytes(os.path.join(out, "README.md"), render_readme(summary, tiny).encode("utf-8"))

    print(f"data: {data}\nout:  {out}\n")
    print(f"{'file':32} {'kind':6} {'nodes':>6} {'flows':>7} {'sectors':>7} {'bytes':>10}  years")
    for s in summary:
        size = os.path.getsize(os.path.join(out, s["file"]))
        print(f"{s['file']:32} {s['kind']:6} {s['nodes']:>6} {s['flows']:>7} {s['sectors']:>7} {size:>10}  {s['years']}")
    print("\ntiny.json flows (bn USD, rounded):")
    print(f"  {'from':4} {'to':4} {'sector':6} {'value':>5}")
    for f in tiny["flows"]:
        print(f"  {f['from']:4} {f['to']:4} {f['sector']:6} {f['value'] // BN:>5}")
    print("\nreference checks:")
    if not reference_checks(out):
        print("error: a reference check failed", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
