#!/usr/bin/env python3
"""Search and page weights on a registry of N people, through a running `sijil serve`.

Generates N people with `sijil gen`, imports every record (resolved one by one against the
registry, as a clerk's registrations are), starts the server, and times searches drawn from the
records themselves (a Latin spelling where the record has one, else the Arabic), through the
JSON API and as the web page a clerk sees. Prints a table; nothing here is a pass/fail test.

Usage: bench/search.py [--people 100000] [--queries 300] [--bin target/release/sijil]
"""
import argparse, csv, gzip, json, os, random, socket, statistics, subprocess, sys, tempfile, time
import urllib.error, urllib.parse, urllib.request


def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p


def timed(f):
    t = time.perf_counter(); r = f(); return r, (time.perf_counter() - t) * 1000


def pct(xs, p):
    xs = sorted(xs); return xs[min(len(xs) - 1, int(len(xs) * p))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--people", type=int, default=100_000)
    ap.add_argument("--queries", type=int, default=300)
    target = os.environ.get("CARGO_TARGET_DIR", "target")
    ap.add_argument("--bin", default=f"{target}/release/sijil")
    a = ap.parse_args()
    work = tempfile.mkdtemp(prefix="sijil-search-")
    data = os.path.join(work, "data")
    run = lambda *args: subprocess.run([a.bin, *args], check=True, capture_output=True, text=True)
    run("gen", "--people", str(a.people), "--seed", "3", "--out", os.path.join(work, "pop"))
    records = os.path.join(work, "pop", "records.csv")
    (_, import_ms) = timed(lambda: run("--data", data, "import", records))
    port = free_port()
    # Limits off: the benchmark reads far faster than any officer may.
    env = dict(os.environ, SIJIL_SERVER__BIND=f"127.0.0.1:{port}", SIJIL_SAMPLE__PEOPLE="0",
               SIJIL_LIMITS__PERSON_READS_PER_MINUTE="0")
    started = time.perf_counter()
    server = subprocess.Popen([a.bin, "--data", data, "serve"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        password = None
        line = server.stdout.readline()
        while "listening" not in line:
            if "administrator login" in line:
                password = line.split(" / ")[1].split()[0]
            if server.poll() is not None:
                sys.exit("the server did not start")
            line = server.stdout.readline()
        start_ms = (time.perf_counter() - started) * 1000
        base = f"http://127.0.0.1:{port}"
        req = urllib.request.Request(base + "/api/v1/auth/login",
                                     data=json.dumps({"username": "admin", "password": password}).encode(),
                                     headers={"content-type": "application/json"})
        token = json.load(urllib.request.urlopen(req))["token"]
        rows = list(csv.DictReader(open(records, encoding="utf-8")))
        random.seed(1)
        sample = random.sample(rows, min(a.queries, len(rows)))
        api_ms, web_ms, web_raw, web_gz, found = [], [], [], [], 0
        for r in sample:
            names = " ".join(x for x in (r["first_name"], r["father_name"], r["family_name"]) if x)
            year = r["birth_date"][:4]
            q = urllib.parse.urlencode({"names": names, "birth_year": year})
            get = lambda path, extra: urllib.request.urlopen(urllib.request.Request(base + path, headers=extra))
            try:
                resp, ms = timed(lambda: json.load(get("/api/v1/search?" + q, {"authorization": f"Bearer {token}"})))
            except urllib.error.HTTPError as e:
                sys.exit(f"search {q} refused: {e.read().decode()}")
            api_ms.append(ms); found += bool(resp)
            def page():
                with get("/search?" + q, {"cookie": f"sijil_session={token}", "accept-encoding": "gzip"}) as p:
                    return p.read()
            body, ms = timed(page)
            web_ms.append(ms); web_gz.append(len(body)); web_raw.append(len(gzip.decompress(body)))
        print(f"registry: {len(rows):,} records of {a.people:,} people; import (resolving each record) "
              f"{import_ms / 1000:.1f} s; server start (model + index) {start_ms / 1000:.1f} s")
        print(f"{len(sample)} searches (first, father, family name + birth year, as written in a record); "
              f"{found} returned candidates")
        print("| what | median ms | p95 ms | p99 ms | median bytes (gzip) | median bytes (raw) |")
        print("|---|---:|---:|---:|---:|---:|")
        print(f"| API /api/v1/search | {statistics.median(api_ms):.1f} | {pct(api_ms, .95):.1f} | {pct(api_ms, .99):.1f} | | |")
        print(f"| web page /search | {statistics.median(web_ms):.1f} | {pct(web_ms, .95):.1f} | {pct(web_ms, .99):.1f} | "
              f"{int(statistics.median(web_gz)):,} | {int(statistics.median(web_raw)):,} |")
    finally:
        server.terminate(); server.wait()


if __name__ == "__main__":
    main()
