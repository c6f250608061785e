#!/usr/bin/env python3
"""tradenet against the peers on the same files (../shared/bench, README "Exact semantics").

    V=${TRADENET_BENCH_VENV:-$HOME/.cache/tradenet-bench-venv}/bin/python
    cargo build --release
    $V benches/run_bench.py --data /tmp/tradenet-bench-data [--scale icio firms] [--repeat 3]

For each data file it runs the release binary (`tradenet centrality FILE -m ... --timings
--format csv`) `--repeat` times per task under `/usr/bin/time -v`, reads the load and kernel
seconds that `--timings` prints to stderr, the iterations, and the peak RSS, and checks the
results against the peers' checksums (top-5 ids, max) from the stored peer runs
(`--peers ../shared/bench/results-2026-11-24`). It prints one Markdown table (tradenet's median
kernel time next to the fastest comparable peer, ratio, iterations, memory, agreement) and
writes tradenet's rows as peers.py-style JSONL (`--jsonl`, peer "tradenet") for summarize.py.

Tasks: strength, pagerank (tol 1e-6 = the peers' like-for-like stop, and the default 1e-10),
eigenvector, hits, betweenness (exact on n <= 5000 nodes; on firms the README's 256 seeded
sources, raw sums), and `e2e` = the whole command `tradenet centrality FILE --measure pagerank`
(load + aggregate + kernel + table), wall clock.
PageRank peers that stop at n*tol (networkx, rustworkx, the scipy clone) are compared through
their strict runs (L1 change < 1e-6) only.
"""

import argparse
import csv
import glob
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def run_once(cmd):
    """Run under /usr/bin/time -v; return (wall s, stderr text, peak RSS MiB)."""
    full = ["/usr/bin/time", "-v"] + cmd if os.path.exists("/usr/bin/time") else cmd
    t0 = time.perf_counter()
    p = subprocess.run(full, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - t0
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{p.stderr[-2000:]}")
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr)
    rss = int(m.group(1)) / 1024 if m else None
    return wall, p.stderr, rss


def timings(stderr):
    """{'load': s, 'aggregate': s, 'pagerank': (s, iterations), ...} from --timings lines."""
    out = {}
    for line in stderr.splitlines():
        m = re.match(r"timings: (\S+) ([0-9.]+) s(?: \((\d+) iterations\))?", line)
        if m:
            out[m.group(1)] = (float(m.group(2)), int(m.group(3)) if m.group(3) else None)
    return out


def read_scores(path):
    with open(path) as f:
        r = csv.reader(f)
        header = next(r)
        rows = [(row[0], [float(x) for x in row[1:]]) for row in r]
    return header[1:], rows


def checksum(rows, k, normalise):
    vals = [(i, v[k]) for i, v in rows]
    total = sum(abs(v) for _, v in vals)
    s = total if normalise and total > 0 else 1.0
    ranked = sorted(vals, key=lambda p: (-p[1], p[0]))
    return {"sum": sum(v for _, v in vals) / s, "max": ranked[0][1] / s, "top5": [i for i, _ in ranked[:5]]}


def peer_rows(peers_dir, csv_name):
    rows = []
    for f in sorted(glob.glob(os.path.join(peers_dir, "*.jsonl"))):
        strict = "strict" in os.path.basename(f)
        for line in open(f):
            r = json.loads(line)
            if r.get("csv") == csv_name and r.get("status") == "ok":
                r["_strict"] = strict
                rows.append(r)
    return rows


def comparable(r, task):
    if r["task"] != task:
        return False
    if task == "pagerank" and "n*tol" in str(r.get("params", "")) and not r["_strict"]:
        return False  # stops at n*tol: not converged
    if task == "eigenvector" and r["peer"] in ("networkx", "rustworkx"):
        return False  # stops at n*tol
    return True


def fmt(s):
    if s is None:
        return "–"
    if s >= 1:
        return f"{s:.2f} s"
    if s >= 1e-3:
        return f"{s * 1e3:.1f} ms"
    return f"{s * 1e6:.0f} µs"


def machine():
    cpu = "?"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB RAM, {platform.system()} {platform.release()}"


def bc_sources(csv_path, k=256, seed=20261124):
    """The README's sampled sources: node index = rank of the id in sorted order."""
    import numpy as np
    import pandas as pd

    df = pd.read_csv(csv_path, engine="pyarrow", usecols=["exporter", "importer"])
    ids = np.unique(np.concatenate([df["exporter"].unique(), df["importer"].unique()]).astype(str))
    pick = np.sort(np.random.default_rng(seed).choice(len(ids), k, replace=False))
    return [str(ids[i]) for i in pick]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default="/tmp/tradenet-bench-data")
    ap.add_argument("--bin", default=os.path.join(ROOT, "target", "release", "tradenet"))
    ap.add_argument("--peers", default=os.path.join(ROOT, "..", "shared", "bench", "results-2026-11-24"))
    ap.add_argument("--scale", nargs="*", default=["world", "world-hs2", "icio", "firms"])
    ap.add_argument("--task", nargs="*", default=["strength", "pagerank", "pagerank-1e-10", "eigenvector", "hits", "betweenness", "e2e"])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--jsonl", default=None, help="write tradenet's rows here (peers.py fields)")
    a = ap.parse_args()
    if not os.path.exists(a.bin):
        sys.exit(f"{a.bin} not found: run `cargo build --release` first")
    version = subprocess.run([a.bin, "--version"], capture_output=True, text=True).stdout.strip()
    print(f"# tradenet {version} vs peers — {time.strftime('%Y-%m-%d')} — {machine()}\n")
    print("| dataset | task | tradenet kernel (median) | load | iterations | peak RSS | fastest comparable peer | ratio | top-5 agree |")
    print("|---|---|---|---|---|---|---|---|---|")
    jsonl = open(a.jsonl, "w") if a.jsonl else None
    tmp = tempfile.mkdtemp(prefix="tradenet-bench-")
    for scale in a.scale:
        path = os.path.join(a.data, f"{scale}.csv")
        if not os.path.exists(path):
            print(f"<!-- {path} missing: skipped -->")
            continue
        peers = peer_rows(a.peers, f"{scale}.csv")
        for task in a.task:
            out = os.path.join(tmp, "out.csv")
            extra = []
            measures = {"strength": "in_strength,out_strength", "pagerank": "pagerank",
                        "pagerank-1e-10": "pagerank", "eigenvector": "eigenvector",
                        "hits": "hub,authority", "betweenness": "betweenness", "e2e": "pagerank"}[task]
            if task == "pagerank":
                extra = ["--tol", "1e-6"]
            repeat = a.repeat
            sampled = False
            if task == "betweenness":
                extra = ["--unnormalized"]
                if scale == "firms":
                    src = os.path.join(tmp, "sources.txt")
                    with open(src, "w") as f:
                        f.write("\n".join(bc_sources(path)) + "\n")
                    extra += ["--sources", src]
                    sampled = True
                    repeat = 1
                elif scale == "icio":
                    repeat = min(repeat, 2)
            if task == "e2e":
                cmd = [a.bin, "centrality", path, "--measure", "pagerank"]
            else:
                cmd = [a.bin, "centrality", path, "-m", measures, "--timings", "--format", "csv", "-o", out] + extra
            walls, kernels, loads, iters, rss = [], [], [], None, []
            for _ in range(repeat):
                wall, err, r = run_once(cmd)
                walls.append(wall)
                rss.append(r or 0)
                if task != "e2e":
                    t = timings(err)
                    names = measures.split(",")
                    kernels.append(sum(t[m][0] for m in dict.fromkeys(names) if m in t and m != "authority"))
                    loads.append(t["load"][0] + t["aggregate"][0])
                    iters = t[names[0]][1]
            med = max(statistics.median(walls if task == "e2e" else kernels), 1e-6)
            peer_task = {"pagerank-1e-10": "pagerank", "e2e": None}.get(task, task)
            agree, check = "", None
            if task != "e2e":
                names, rows = read_scores(out)
                if task == "hits":
                    check = {"hubs": checksum(rows, 0, True), "authorities": checksum(rows, 1, True)}
                elif task == "strength":
                    check = {"out_top5": checksum(rows, 1, False)["top5"], "in_top5": checksum(rows, 0, False)["top5"]}
                else:
                    check = checksum(rows, 0, task != "betweenness")
            cands = [r for r in peers if peer_task and comparable(r, peer_task)]
            best = min(cands, key=lambda r: r["median_s"]) if cands else None
            if best and check is not None:
                pc = best.get("checksum", {})
                if task == "hits":
                    ok = pc.get("hubs", {}).get("top5") == check["hubs"]["top5"] and pc.get("authorities", {}).get("top5") == check["authorities"]["top5"]
                elif task == "strength":
                    ok = pc.get("out_top5") == check["out_top5"] and pc.get("in_top5") == check["in_top5"] if "out_top5" in pc else None
                else:
                    ok = pc.get("top5") == check["top5"]
                agree = "yes" if ok else ("n/a" if ok is None else f"no (peer {pc.get('top5')})")
            if sampled:
                peer_txt = "none finished k=256 in 120 s: networkit ≈250 s, igraph ≈333 s (extrapolated)"
                ratio = f"≈{250 / med:.1f}× faster (vs networkit est.)"
                agree = "n/a"
            elif best:
                peer_txt = f"{best['peer']} {fmt(best['median_s'])}" + (" (strict run)" if best["_strict"] else "")
                ratio = f"{best['median_s'] / med:.1f}× faster" if med < best["median_s"] else f"{med / best['median_s']:.1f}× slower"
            else:
                peer_txt, ratio = "–", "–"
            label = {"pagerank": "pagerank (tol 1e-6)", "pagerank-1e-10": "pagerank (tol 1e-10, default)",
                     "betweenness": "betweenness " + ("sampled k=256" if sampled else "exact"),
                     "e2e": "`centrality --measure pagerank` end to end (wall)"}.get(task, task)
            print(f"| {scale} | {label} | {fmt(med)} ({repeat} runs) | {fmt(statistics.median(loads)) if loads else '–'} | "
                  f"{iters if iters is not None else '–'} | {max(rss):.0f} MiB | {peer_txt} | {ratio} | {agree} |", flush=True)
            if jsonl:
                jsonl.write(json.dumps({
                    "peer": "tradenet", "version": version.split()[-1], "csv": f"{scale}.csv",
                    "task": "betweenness" if task == "betweenness" else (peer_task or task),
                    "status": "ok", "median_s": med, "min_s": min(walls if task == "e2e" else kernels),
                    "max_s": max(walls if task == "e2e" else kernels), "runs": repeat,
                    "times_s": walls if task == "e2e" else kernels, "peak_rss_mb": max(rss),
                    "params": " ".join(cmd[3:]), "iterations": iters, "checksum": check,
                }) + "\n")
    if jsonl:
        jsonl.close()


if __name__ == "__main__":
    main()
