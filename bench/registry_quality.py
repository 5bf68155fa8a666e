#!/usr/bin/env python3
"""How well the registry resolves records arriving one by one, against the generator's truth.

Generates N people, imports their records with `sijil import` (each resolved against the
registry: linked, new person, or new person plus a review item), then reads the registry's
SQLite file and prints: pairwise precision/recall/F1 of the persons as left by the resolver
(review items unsettled), the decisions by reason, and the review queue's hit rate (share of
items whose best candidate is truly the same person) by weight band.

Usage: bench/registry_quality.py [--people 60000] [--bin target/release/sijil]
"""
import argparse, collections, csv, json, os, sqlite3, subprocess, tempfile, time


def pairs(groups):
    return sum(n * (n - 1) // 2 for n in groups.values())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--people", type=int, default=60_000)
    target = os.environ.get("CARGO_TARGET_DIR", "target")
    ap.add_argument("--bin", default=f"{target}/release/sijil")
    a = ap.parse_args()
    work = tempfile.mkdtemp(prefix="sijil-quality-")
    run = lambda *args: subprocess.run([a.bin, *args], check=True, capture_output=True, text=True)
    run("gen", "--people", str(a.people), "--seed", "5", "--out", f"{work}/pop")
    t = time.perf_counter()
    run("--data", f"{work}/data", "import", f"{work}/pop/records.csv")
    secs = time.perf_counter() - t
    truth = {r["record_id"]: r["person_id"] for r in csv.DictReader(open(f"{work}/pop/truth.csv"))}
    db = sqlite3.connect(f"{work}/data/sijil.db")
    rows = db.execute("select r.seq, r.record_id, l.person_id from source_records r join record_links l on l.record_seq = r.seq").fetchall()
    rid = {seq: rec for seq, rec, _ in rows}
    both = collections.Counter((truth[rec], person) for _, rec, person in rows)
    tp = pairs(both)
    found = pairs(collections.Counter(person for _, _, person in rows))
    true = pairs(collections.Counter(truth[rec] for _, rec, _ in rows))
    p, r = tp / max(found, 1), tp / max(true, 1)
    print(f"{len(rows):,} records of {a.people:,} people imported in {secs:.1f} s (resolving each)")
    print(f"pairwise precision {p:.4f} recall {r:.4f} F1 {2 * p * r / max(p + r, 1e-9):.4f} (review items unsettled)")
    print("decisions:", dict(db.execute("select decision, count(*) from record_links group by 1").fetchall()))
    reason = dict(db.execute("select record_seq, reason from link_decisions").fetchall())
    bands = collections.defaultdict(lambda: [0, 0])
    for seq, cands in db.execute("select record_seq, candidates from review_items"):
        top = json.loads(cands)[0]
        same = truth[rid[seq]] == truth[rid[top["record_seq"]]]
        why = reason.get(seq, "?")
        low = int(top["weight"] // 2) * 2
        key = (0, low, f"{why}, best weight {low:+d}..{low + 2:+d}") if why == "review" else (1, 0, why)
        bands[key][0 if same else 1] += 1
    print("| review items | same person | different | hit rate |")
    print("|---|---:|---:|---:|")
    for k in sorted(bands):
        s, d = bands[k]
        print(f"| {k[2]} | {s} | {d} | {s / (s + d):.0%} |")


if __name__ == "__main__":
    main()
