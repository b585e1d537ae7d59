#!/usr/bin/env python3
"""The status page's cost, on the journal a watch keeps after 90 days of 41 checks every 60 s:

1. **Bytes per result.** `moor-bench history-fill` writes that journal through moor's own
   journal code (the last two days run by run, the 88 days before at one run an hour, which
   leaves the same hourly and daily rows); its size over the 5.3 million results it stands
   for is the bytes per result, extrapolated to the bar (under 100 MB).
2. **The 90-day query**, one check's daily cells, against two baselines timed in the same
   run: `SELECT 1` (the floor of a journal read) and reading the same check's runs of two days.
   Also the whole page's data (every check) and its HTML, in process (`history-query`).
3. **A page load over HTTP**: `moor watch` started on that journal (the same 41 checks,
   loopback HTTPS), `GET /` and `GET /api/v1/status` timed, against `GET /healthz` on the
   same server in the same run.

  python3 benchmarks/status_page.py [--loads 50] [--journal PATH]

Filling takes minutes (each run is its own committed transaction, as in watch); --journal
keeps the filled journal at PATH and reuses it when it is there.

Builds the release products (the scratch path scripts/test uses). Linux or macOS.
"""
import loopback
import argparse, json, os, shutil, signal, socket, sqlite3, statistics, subprocess, sys, tempfile, time, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CHECKS = 41


def table_bytes(path):
    """Bytes and rows of each history table, from SQLite's dbstat (pages, so indexes included)."""
    db = sqlite3.connect(path)
    out = {}
    for table in ("checkRun", "checkHour", "checkDay"):
        size = db.execute("SELECT SUM(pgsize) FROM dbstat WHERE name = ?", (table,)).fetchone()[0] or 0
        out[table] = (size, db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
    db.close()
    return out


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def timed_get(url, loads):
    samples, size = [], 0
    for _ in range(loads):
        start = time.perf_counter()
        with urllib.request.urlopen(url, timeout=10) as response:
            size = len(response.read())
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1], size


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--loads", type=int, default=50)
    parser.add_argument("--journal", help="keep the filled journal here, and reuse it when present")
    args = parser.parse_args()
    bin_dir = loopback.release_bin(("moor", "moor-bench", "moor-standin"))
    work = tempfile.mkdtemp(prefix="moor-page-bench-")
    watch = None
    try:
        state = os.path.join(work, "state")
        os.makedirs(state)
        journal = os.path.join(state, "journal.sqlite")
        kept = args.journal and os.path.exists(args.journal) and os.path.exists(args.journal + ".fill.json")
        if kept:
            shutil.copy(args.journal, journal)
            fill = json.load(open(args.journal + ".fill.json"))
            print(f"(reusing the journal filled earlier: {args.journal})")
        else:
            fill = json.loads(subprocess.run([os.path.join(bin_dir, "moor-bench"), "history-fill", journal, "--checks", str(CHECKS)],
                                             check=True, capture_output=True, text=True).stdout)
            if args.journal:
                shutil.copy(journal, args.journal)
                json.dump(fill, open(args.journal + ".fill.json", "w"))
        query = json.loads(subprocess.run([os.path.join(bin_dir, "moor-bench"), "history-query", journal, "--checks", str(CHECKS)],
                                          check=True, capture_output=True, text=True).stdout)
        per = fill["bytesPerResult"]
        print(f"journal after 90 days of {CHECKS} checks at 60 s: {fill['bytes'] / 1e6:.2f} MB for {fill['resultsRepresented']:,} results "
              f"= {per:.2f} bytes per result (bar: the whole under 100 MB, {100e6 / fill['resultsRepresented']:.1f} bytes per result)")
        tables = table_bytes(journal)
        for table, what in (("checkRun", "runs kept (two days)"), ("checkHour", "hourly rows"), ("checkDay", "daily rows")):
            size, rows = tables.get(table, (0, 0))
            print(f"  {what}: {rows:,} rows, {size / 1e6:.2f} MB, {size / max(rows, 1):.1f} bytes a row")
        print(f"  filled in {fill['fillSeconds']:.0f} s ({fill['rowsWritten']:,} runs through recordCheckRun, each its own transaction)")
        print(f"90-day query of one check ({query['days90Cells']} daily cells): {query['days90Us']:.0f} µs median; "
              f"SELECT 1 {query['select1Us']:.0f} µs (ratio {query['days90Us'] / query['select1Us']:.1f}); "
              f"the check's two days of runs ({query['rawTwoDaysRuns']:,}) {query['rawTwoDaysUs']:.0f} µs "
              f"(ratio {query['days90Us'] / query['rawTwoDaysUs']:.3f})")
        print(f"the page's data for {query['checks']} checks: {query['pageDataUs'] / 1000:.1f} ms; its HTML: {query['pageRenderUs'] / 1000:.1f} ms, "
              f"{query['pageBytes'] / 1000:.0f} kB")

        # A page load through moor watch on that journal.
        key, cert = loopback.certificates(work)
        service = loopback.serve_https(loopback.health_handler(), key, cert)
        port = free_port()
        checks = "".join(f"""  - name: web-{i:02d}
    url: https://127.0.0.1:{service}/health
    ca: {cert}
    tags: [apps]
""" for i in range(CHECKS - 1)) + f"""  - name: port
    tcp: 127.0.0.1:{service}
"""
        lab = os.path.join(work, "moor.yaml")
        with open(lab, "w") as f:
            f.write(f"version: 1\nwatch:\n  checks: 60s\n  metrics:\n    listen: 127.0.0.1:{port}\nchecks:\n" + checks)
        env = dict(os.environ, MOOR_STATE_DIR=state, HOME=work)
        watch = subprocess.Popen([os.path.join(bin_dir, "moor"), "watch", "-f", lab], env=env,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        health = timed_get(base + "/healthz", args.loads)
        page = timed_get(base + "/", args.loads)
        api = timed_get(base + "/api/v1/status", args.loads)
        print(f"over HTTP ({args.loads} loads, median / p95): GET / {page[0]:.1f} / {page[1]:.1f} ms ({page[2] / 1000:.0f} kB); "
              f"GET /api/v1/status {api[0]:.1f} / {api[1]:.1f} ms ({api[2] / 1000:.0f} kB); GET /healthz {health[0]:.2f} ms "
              f"(ratio page / healthz {page[0] / health[0]:.1f})")
        watch.send_signal(signal.SIGTERM)
        watch.wait(timeout=10)
        return 0 if fill["bytes"] < 100e6 else 1
    finally:
        if watch and watch.poll() is None:
            watch.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
