#!/usr/bin/env python3
"""`moor check` at scale: 1,000 HTTPS checks against one loopback server, each with a private
CA (`ca:`) and two conditions ([STATUS] == 200, [BODY].status == UP), against a naive Python
ThreadPoolExecutor(32) + urllib doing the same requests and the same body check, measured in
the same run (wall, user+sys CPU and peak RSS of each child, best of N).

  python3 benchmarks/check_scale.py [--runs 3] [--checks 1000]

Bars (2-core machine): moor's wall <= Python's, moor's CPU <= Python's, moor's RSS < 64 MiB.
"""
import loopback
import argparse, http.server, json, os, shutil, ssl, subprocess, sys, tempfile, textwrap, threading, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


Health = loopback.health_handler()


def openssl(*args):
    subprocess.run(["openssl", *args], check=True, capture_output=True)


def private_ca(work):
    """A CA and a leaf for localhost signed by it (the lab's `ca:` is the CA)."""
    ca_key, ca, key, csr, cert = (os.path.join(work, n) for n in ["ca.key", "ca.pem", "leaf.key", "leaf.csr", "leaf.pem"])
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", ca_key,
            "-out", ca, "-days", "2", "-subj", "/CN=moor bench CA")
    openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", csr,
            "-subj", "/CN=localhost")
    ext = os.path.join(work, "ext.cnf")
    with open(ext, "w") as f:
        f.write("subjectAltName=DNS:localhost,IP:127.0.0.1\n")
    openssl("x509", "-req", "-in", csr, "-CA", ca, "-CAkey", ca_key, "-CAcreateserial", "-out", cert, "-days", "2",
            "-extfile", ext)
    return ca, key, cert


def serve(key, cert):
    return loopback.serve_https(Health, key, cert)


BASELINE = textwrap.dedent("""
    import json, ssl, sys, urllib.request
    from concurrent.futures import ThreadPoolExecutor
    url, ca, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    context = ssl.create_default_context(cafile=ca)
    def check(_):
        with urllib.request.urlopen(url, context=context, timeout=5) as response:
            return response.status == 200 and json.loads(response.read()).get("status") == "UP"
    with ThreadPoolExecutor(32) as pool:
        results = list(pool.map(check, range(count)))
    print(sum(results))
""")


def measure(argv, env=None):
    """Wall seconds, user+sys seconds, peak RSS MiB and stdout of one child."""
    start = time.perf_counter()
    child = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    out = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    rss = usage.ru_maxrss / 1024 if sys.platform != "darwin" else usage.ru_maxrss / 1048576
    return wall, usage.ru_utime + usage.ru_stime, rss, out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--checks", type=int, default=1000)
    args = parser.parse_args()
    subprocess.run(["swift", "build", "-c", "release", "--product", "moor"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    bin_dir = subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=ROOT, check=True,
                             capture_output=True, text=True).stdout.strip()
    work = tempfile.mkdtemp(prefix="moor-scale-bench-")
    try:
        ca, key, cert = private_ca(work)
        port = serve(key, cert)
        url = f"https://localhost:{port}/health"
        lines = ["version: 1", "checks:"]
        for index in range(args.checks):
            lines += [f"  - name: c{index}", f"    url: {url}", f"    ca: {ca}", '    expect: ["[STATUS] == 200", "[BODY].status == UP"]']
        lab = os.path.join(work, "moor.yaml")
        with open(lab, "w") as f:
            f.write("\n".join(lines) + "\n")
        baseline = os.path.join(work, "baseline.py")
        with open(baseline, "w") as f:
            f.write(BASELINE)
        env = dict(os.environ, MOOR_STATE_DIR=os.path.join(work, "state"))
        moor_runs, python_runs = [], []
        for _ in range(args.runs):
            wall, cpu, rss, out = measure([os.path.join(bin_dir, "moor"), "check", "-f", lab, "-o", "json"], env)
            report = json.loads(out)
            failed = [c["detail"] for c in report["checks"] if c["state"] != "ok"]
            assert not failed, f"{len(failed)} failed: {failed[:3]}"
            moor_runs.append((wall, cpu, rss))
            wall, cpu, rss, out = measure([sys.executable, baseline, url, ca, str(args.checks)])
            assert int(out) == args.checks, out
            python_runs.append((wall, cpu, rss))
        best = lambda runs, i: min(run[i] for run in runs)
        m = [best(moor_runs, i) for i in range(3)]
        p = [best(python_runs, i) for i in range(3)]
        print(f"{args.checks} HTTPS checks (private CA, 2 conditions each), best of {args.runs}")
        print(f"                 wall      CPU (user+sys)   peak RSS")
        print(f"  moor check   {m[0]:6.2f} s   {m[1]:6.2f} s        {m[2]:5.0f} MiB")
        print(f"  naive Python {p[0]:6.2f} s   {p[1]:6.2f} s        {p[2]:5.0f} MiB")
        print(f"  ratio moor / Python: wall {m[0] / p[0]:.2f} (bar <= 1), CPU {m[1] / p[1]:.2f} (bar <= 1); RSS bar < 64 MiB")
        return 0 if m[0] <= p[0] and m[1] <= p[1] and m[2] < 64 else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
