#!/usr/bin/env python3
"""Benchmark: `sijil dedup` against Splink 5 on generated Syrian populations.

    python3 bench/run.py [--sizes 10000,100000,1000000] [--threads 2] [--no-splink]

For each size: generates the population with `sijil gen` (release build, seed 1), runs
`sijil dedup`, exports Sijil's normalised keys (`--normalised-out`, not timed) and runs Splink 5
with DuckDB on them (bench/splink_dedup.py), each under /usr/bin/time for wall time and peak
memory, both limited to the same processor threads. Quality is measured against truth.csv:
pairwise precision, recall and F1, and B-cubed F1. Sijil's clusters are taken as they come;
Splink's at the best of several match-weight thresholds (chosen with the truth, in Splink's
favour). Prints a table and writes it to bench/RESULTS.md.

Needs: cargo, /usr/bin/time, and Splink (`pip install splink`; its interpreter is found as
$SPLINK_PYTHON, else `python3`).
"""

import argparse
import csv
import os
import platform
import random
import re
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
THRESHOLDS = [-4, -2, 0, 2, 4, 6, 8, 10, 12]


def sh(cmd, env=None, **kw):
    return subprocess.run(cmd, check=True, env=env, **kw)


def timed(cmd, threads, env_extra=None, stages=None):
    """Runs cmd under /usr/bin/time -v on `threads` threads; returns (wall s, cpu s, peak MiB).

    With `stages` (a list), appends the (stage, wall s, processor s) lines that
    `sijil dedup --verbose` prints."""
    env = dict(os.environ)
    env["RAYON_NUM_THREADS"] = str(threads)
    env.update(env_extra or {})
    prefix = ["/usr/bin/time", "-v"]
    if (os.cpu_count() or 1) > threads:
        prefix = ["taskset", "-c", f"0-{threads - 1}"] + prefix
    p = subprocess.run(prefix + cmd, env=env, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{p.stderr[-3000:]}")
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)", p.stderr)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr)
    user = float(re.search(r"User time \(seconds\): ([\d.]+)", p.stderr).group(1))
    system = float(re.search(r"System time \(seconds\): ([\d.]+)", p.stderr).group(1))
    if stages is not None:
        for m in re.finditer(r"^\s*(\w+): wall ([\d.]+) s, processor ([\d.]+) s$", p.stderr, re.M):
            stages.append((m.group(1), float(m.group(2)), float(m.group(3))))
    parts = [float(x) for x in wall.group(1).split(":")]
    secs = sum(x * 60 ** i for i, x in enumerate(reversed(parts)))
    return secs, user + system, int(rss.group(1)) / 1024


def read_truth(path):
    with open(path, newline="") as f:
        return {r["record_id"]: r["person_id"] for r in csv.DictReader(f)}


def read_clusters(path):
    with open(path, newline="") as f:
        return {r["record_id"]: r["cluster_id"] for r in csv.DictReader(f)}


def pairs(n):
    return n * (n - 1) // 2


def scores(cluster, truth):
    """Pairwise precision, recall, F1 and B-cubed F1 of `cluster` (record -> cluster)."""
    both = Counter((cluster[r], p) for r, p in truth.items())
    by_c = Counter(cluster[r] for r in truth)
    by_p = Counter(truth.values())
    tp = sum(pairs(n) for n in both.values())
    pred = sum(pairs(n) for n in by_c.values())
    act = sum(pairs(n) for n in by_p.values())
    p = tp / pred if pred else 1.0
    r = tp / act if act else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    bp = sum(n * n / by_c[c] for (c, _), n in both.items()) / len(truth)
    br = sum(n * n / by_p[q] for (_, q), n in both.items()) / len(truth)
    b3 = 2 * bp * br / (bp + br)
    return p, r, f, b3


def sweep(pairs_csv, truth):
    """Splink's clusters at each threshold (connected components); the best by pairwise F1."""
    with open(pairs_csv, newline="") as f:
        rd = csv.reader(f)
        next(rd)
        edges = sorted(((float(w), a, b) for a, b, w in rd), reverse=True)
    best = None
    for t in THRESHOLDS:
        parent = {r: r for r in truth}

        def find(x):
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for w, a, b in edges:
            if w < t:
                break
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[ra] = rb
        cluster = {r: find(r) for r in truth}
        s = scores(cluster, truth)
        print(f"    splink threshold {t:>3}: P {s[0]:.4f} R {s[1]:.4f} F1 {s[2]:.4f}", file=sys.stderr)
        if best is None or s[2] > best[1][2]:
            best = (t, s)
    return best


def sijil_binary():
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    sh(["cargo", "build", "--release", "-p", "sijil"], cwd=ROOT)
    return target / "release" / "sijil"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10000,100000,1000000")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--data", default=str(BENCH / "data"))
    ap.add_argument("--no-splink", action="store_true")
    ap.add_argument("--no-latency", action="store_true")
    ap.add_argument("--no-shuffled", action="store_true",
                    help="skip the run on the largest file with its rows shuffled")
    args = ap.parse_args()
    sijil = sijil_binary()
    py = os.environ.get("SPLINK_PYTHON", "python3")
    rows = []
    stage_rows = []
    for n in [int(x) for x in args.sizes.split(",")]:
        d = Path(args.data) / f"{n}-{args.seed}"
        if not (d / "records.csv").exists():
            sh([str(sijil), "gen", "--people", str(n), "--seed", str(args.seed), "--out", str(d)])
        truth = read_truth(d / "truth.csv")
        print(f"{n} people, {len(truth)} records", file=sys.stderr)
        model = d / "model.json"
        if model.exists():
            model.unlink()  # so that the timed run learns its model (and saves it)
        stages = []
        wall, cpu, mem = timed(
            [str(sijil), "dedup", "--verbose", "--input", str(d / "records.csv"), "--output",
             str(d / "sijil.csv"), "--model", str(model)],
            args.threads,
            stages=stages,
        )
        stage_rows.append((len(truth), stages))
        s = scores(read_clusters(d / "sijil.csv"), truth)
        rows.append((len(truth), "Sijil", "as produced", *s, wall, cpu, mem))
        print(f"  sijil: {s} {wall:.1f}s {cpu:.1f}s cpu {mem:.0f} MiB", file=sys.stderr)
        if n == max(int(x) for x in args.sizes.split(",")) and not args.no_shuffled:
            # The same file with its rows in random order: the generator writes a person's
            # records near each other, and blocking caps the records a group compares.
            shuffled = d / "records-shuffled.csv"
            if not shuffled.exists():
                with open(d / "records.csv", newline="") as f:
                    lines = f.readlines()
                body = lines[1:]
                random.Random(args.seed).shuffle(body)
                with open(shuffled, "w", newline="") as f:
                    f.writelines(lines[:1] + body)
            shuffled_model = d / "model-shuffled.json"
            if shuffled_model.exists():
                shuffled_model.unlink()
            wall, cpu, mem = timed(
                [str(sijil), "dedup", "--input", str(shuffled), "--output", str(d / "sijil-shuffled.csv"),
                 "--model", str(shuffled_model)],
                args.threads,
            )
            s = scores(read_clusters(d / "sijil-shuffled.csv"), truth)
            rows.append((len(truth), "Sijil", "rows shuffled", *s, wall, cpu, mem))
            print(f"  sijil, rows shuffled: {s} {wall:.1f}s {cpu:.1f}s cpu {mem:.0f} MiB", file=sys.stderr)
        if args.no_splink:
            continue
        sh([str(sijil), "dedup", "--input", str(d / "records.csv"), "--output", os.devnull,
            "--normalised-out", str(d / "normalised.csv")])
        out = d / "splink"
        out.mkdir(exist_ok=True)
        wall, cpu, mem = timed(
            [py, str(BENCH / "splink_dedup.py"), str(d / "normalised.csv"), str(out), str(args.threads)],
            args.threads,
        )
        t, s = sweep(out / "pairs.csv", truth)
        rows.append((len(truth), "Splink 5", f"weight >= {t}", *s, wall, cpu, mem))
        print(f"  splink: {s} {wall:.1f}s {cpu:.1f}s cpu {mem:.0f} MiB", file=sys.stderr)
    table = [
        "| records | tool | clusters | pairwise P | pairwise R | pairwise F1 | B-cubed F1 | wall | processor | peak memory |",
        "|---:|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for recs, tool, how, p, r, f, b3, wall, cpu, mem in rows:
        table.append(
            f"| {recs:,} | {tool} | {how} | {p:.4f} | {r:.4f} | {f:.4f} | {b3:.4f} | {wall:.1f} s | {cpu:.1f} s | {mem:,.0f} MiB |"
        )
    names = []
    for _, stages in stage_rows:
        for name, _, _ in stages:
            if name not in names:
                names.append(name)
    stage_table = [
        "| records | " + " | ".join(names) + " |",
        "|---:|" + "---:|" * len(names),
    ]
    for recs, stages in stage_rows:
        by = {name: (w, c) for name, w, c in stages}
        cells = [f"{by[x][0]:.2f} / {by[x][1]:.2f}" if x in by else "" for x in names]
        stage_table.append(f"| {recs:,} | " + " | ".join(cells) + " |")
    latency = ""
    if not args.no_latency:
        # Incremental resolution and search against the largest population, one query at a
        # time on one thread (the model the timed run learnt and saved).
        d = Path(args.data) / f"{n}-{args.seed}"
        env = dict(os.environ, RAYON_NUM_THREADS=str(args.threads))
        sh(["cargo", "build", "--release", "-p", "sijil-match", "--example", "latency"], cwd=ROOT)
        target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
        p = subprocess.run(
            [str(target / "release" / "examples" / "latency"), str(d), str(d / "model.json"), "2000"],
            env=env, capture_output=True, text=True, check=True,
        )
        latency = "\n".join("    " + line for line in p.stdout.strip().splitlines())
    print("\n".join(table))
    if latency:
        print(latency)
    cpu = platform.processor() or platform.machine()
    load = os.getloadavg()
    note = (
        f"Run {time.strftime('%Y-%m-%d')} with `python3 bench/run.py --sizes {args.sizes} "
        f"--threads {args.threads}` on {os.cpu_count()} processor threads ({cpu}), both tools "
        f"limited to {args.threads} threads; load average at the end {load[0]:.1f} (the machine was "
        f"shared: wall times vary with other work, processor time (user + system) much less)."
    )
    how = (
        "Sijil: `sijil dedup` with its defaults, learning its model from the file (no labels); "
        "the wall time includes reading and validating the CSV and writing the clusters and the "
        "model. Splink 5 with DuckDB (`bench/splink_dedup.py`): names pre-normalised by Sijil's "
        "folding and given with their consonant skeletons, Jaro-Winkler name comparisons with "
        "term-frequency adjustment, the family fields folded into one comparison, u by random "
        "sampling, m by EM on blocks of first name and birth date and of national number, five "
        "blocking rules on normalised names, skeletons, dates and national numbers; its clusters "
        "are taken at the match-weight threshold that gave the best pairwise F1 against the truth. "
        "Splink cannot compare an Arabic spelling with a Latin one (a quarter of the true pairs), "
        "which bounds its recall whatever its blocking."
    )
    body = "# Benchmark results\n\n" + note + "\n\n" + how + "\n\n" + "\n".join(table) + "\n"
    body += (
        "\nSijil's stages (`sijil dedup --verbose`), wall / processor seconds; reading includes "
        "preparing the records for matching, which overlaps it:\n\n" + "\n".join(stage_table) + "\n"
    )
    if latency:
        body += (
            f"\nIncremental resolution and search against the registry of the largest population "
            f"(all records but the last 2,000, which are resolved and searched for; one query at a time, "
            f"`cargo run --release -p sijil-match --example latency`):\n\n{latency}\n"
        )
    # Notes written by hand below the marker survive a new run.
    results = BENCH / "RESULTS.md"
    marker = "<!-- notes: kept by run.py -->"
    if results.exists() and marker in results.read_text():
        body += "\n" + marker + results.read_text().split(marker, 1)[1]
    results.write_text(body)


if __name__ == "__main__":
    main()
