#!/usr/bin/env python3
"""Is `moor check` really parallel? 40 loopback HTTPS checks that each take ~200 ms plus one
TLS peer that never answers (2 s timeout), against a serial baseline measured in the same run.

  python3 benchmarks/check_parallel.py [--runs 3]

Bar: moor check finishes within 1.1x the slowest single check (the 2 s timeout, so ~2.2 s);
the serial baseline (the seed's bash loop, one check after another) takes over 10 s.
"""
import loopback
import argparse, http.server, json, os, shutil, socket, ssl, statistics, subprocess, sys, tempfile, threading, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CHECKS, DELAY, HANG_TIMEOUT = 40, 0.2, 2.0


class Slow(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        time.sleep(DELAY)
        body = b'{"status":"UP"}'
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def serve_https(key, cert):
    return loopback.serve_https(Slow, key, cert)


def serve_silent():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    held = []
    def accept():
        while True:
            connection, _ = listener.accept()
            held.append(connection)  # accepted, never answered
    threading.Thread(target=accept, daemon=True).start()
    return listener.getsockname()[1]


def serial_baseline(port, hang_port, cert):
    """One check after another, each with its own timeout, as the seed's bash loop runs them."""
    context = ssl.create_default_context(cafile=cert)
    start = time.perf_counter()
    for _ in range(CHECKS):
        with socket.create_connection(("127.0.0.1", port), timeout=5) as raw:
            with context.wrap_socket(raw, server_hostname="localhost") as tls:
                tls.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                while tls.recv(65536):
                    pass
    try:
        with socket.create_connection(("127.0.0.1", hang_port), timeout=HANG_TIMEOUT) as raw:
            raw.settimeout(HANG_TIMEOUT)
            context.wrap_socket(raw, server_hostname="localhost")
    except (socket.timeout, ssl.SSLError, OSError):
        pass
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    subprocess.run(["swift", "build", "-c", "release", "--product", "moor"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    bin_dir = subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=ROOT, check=True,
                             capture_output=True, text=True).stdout.strip()
    work = tempfile.mkdtemp(prefix="moor-check-bench-")
    try:
        key, cert = loopback.certificates(work)
        port, hang_port = serve_https(key, cert), serve_silent()
        lines = ["version: 1", "checks:"]
        for index in range(CHECKS):
            lines += [f"  - name: web-{index}", f"    url: https://localhost:{port}/health", f"    ca: {cert}",
                      '    expect: ["[STATUS] == 200", "[BODY].status == UP"]']
        lines += ["  - name: hangs", f"    tls: localhost:{hang_port}", f"    ca: {cert}", f"    timeout: {int(HANG_TIMEOUT)}s"]
        lab = os.path.join(work, "moor.yaml")
        with open(lab, "w") as f:
            f.write("\n".join(lines) + "\n")
        env = dict(os.environ, MOOR_STATE_DIR=os.path.join(work, "state"))

        moor_times, report = [], None
        for _ in range(args.runs):
            start = time.perf_counter()
            result = subprocess.run([os.path.join(bin_dir, "moor"), "check", "-f", lab, "-o", "json"], env=env,
                                    capture_output=True, text=True)
            moor_times.append(time.perf_counter() - start)
            report = json.loads(result.stdout)
        serial = serial_baseline(port, hang_port, cert)
        moor = statistics.median(moor_times)
        slowest = max(check["durationMs"] for check in report["checks"]) / 1000
        web = [check["durationMs"] for check in report["checks"] if check["name"].startswith("web-")]
        print(f"{CHECKS} HTTPS checks (~{int(DELAY * 1000)} ms each) + 1 TLS peer that never answers ({HANG_TIMEOUT:.0f} s timeout)")
        print(f"  summary: {report['summary']}; hang: {[c['detail'] for c in report['checks'] if c['name'] == 'hangs'][0][:60]}...")
        print(f"  moor check (median of {args.runs})  {moor:6.2f} s")
        print(f"  slowest single check          {slowest:6.2f} s   ratio moor / slowest: {moor / slowest:.2f} (bar: <= 1.1)")
        print(f"  web checks, median / max      {statistics.median(web) / 1000:6.2f} s / {max(web) / 1000:.2f} s")
        print(f"  serial baseline               {serial:6.2f} s   ratio serial / moor: {serial / moor:.1f}x")
        return 0 if moor <= 1.1 * slowest and report["summary"]["fail"] == 1 else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
