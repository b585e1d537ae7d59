#!/usr/bin/env python3
"""What `moor watch` costs while it watches: the seed's cluster loop (stand-in tools,
reconcile every 60 s, docker events followed) and 41 checks at 60 s intervals (40 HTTPS
checks of a loopback server with a private CA and two conditions, one TCP check), for
10 minutes, with /metrics served and the node_exporter textfile written.

In the same run and the same window, a naive Python watcher (one thread a check, urllib,
sleep 60 s) runs the same 41 checks against its own copy of the server, as a baseline.

  python3 benchmarks/watch_idle.py [--minutes 10] [--page-client 10]

With --page-client N, a client loads the status page (`GET /`, as the page's script does)
every N seconds for the whole window, and its load times are reported.

Bars: moor watch's average CPU < 1 % of one core, its RSS < 60 MB (peak VmHWM of the moor
process; the stand-in tools are other processes and are reported apart). Linux only.
"""
import loopback
import argparse, http.server, os, shutil, signal, statistics, subprocess, sys, tempfile, threading, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HTTPS_CHECKS = 40
TICKS = os.sysconf("SC_CLK_TCK")

# The seed's cluster with two of its mirrors, so reconciles read the node's files too.
CLUSTER = loopback.SEED_CLUSTER.replace("expose:", """  registryMirrors:
    - {registry: docker.io, mirror: "http://host.minikube.internal:5050", skipVerify: true}
    - {registry: quay.io, mirror: "http://host.minikube.internal:5050", skipVerify: true}
expose:""")


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    # utime, stime, cutime, cstime (fields 14-17; after the comm they are 11-14)
    utime, stime, cutime, cstime = (int(x) for x in fields[11:15])
    return (utime + stime) / TICKS, (cutime + cstime) / TICKS


def memory(pid, key):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024
    return float("nan")


def descendants(pid):
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == pid:
                        out.append(int(entry))
            except OSError:
                pass
    return out


BASELINE = r'''
import random, ssl, sys, threading, time, urllib.request, socket
port, cert, n = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
context = ssl.create_default_context(cafile=cert)
def https():
    time.sleep(random.uniform(0, 60))
    while True:
        try:
            with urllib.request.urlopen(f"https://127.0.0.1:{port}/health", context=context, timeout=5) as r:
                ok = r.status == 200 and b'"UP"' in r.read()
        except Exception:
            pass
        time.sleep(60)
def tcp():
    time.sleep(random.uniform(0, 60))
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=5).close()
        except Exception:
            pass
        time.sleep(60)
for _ in range(n):
    threading.Thread(target=https, daemon=True).start()
threading.Thread(target=tcp, daemon=True).start()
threading.Event().wait()
'''


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--page-client", type=float, default=0, help="load the status page every N seconds")
    args = parser.parse_args()
    bin_dir = loopback.release_bin()
    work = tempfile.mkdtemp(prefix="moor-watch-bench-")
    watch = baseline = None
    try:
        key, cert = loopback.certificates(work)
        moor_hits, base_hits = {"n": 0, "lock": threading.Lock()}, {"n": 0, "lock": threading.Lock()}
        moor_port = loopback.serve_https(loopback.health_handler(moor_hits), key, cert)
        base_port = loopback.serve_https(loopback.health_handler(base_hits), key, cert)
        env = dict(os.environ, MOOR_STANDIN_DIR=os.path.join(work, "world"), MOOR_STATE_DIR=os.path.join(work, "state"), HOME=work)
        os.makedirs(env["MOOR_STANDIN_DIR"])
        bin_path = subprocess.run([os.path.join(bin_dir, "moor-standin"), "install", work], env=env, check=True,
                                  capture_output=True, text=True).stdout.strip()
        env["PATH"] = bin_path + ":" + os.environ["PATH"]
        with socket_free() as metrics_port:
            pass
        textfile = os.path.join(work, "moor.prom")
        checks = "".join(f"""  - name: web-{i:02d}
    url: https://127.0.0.1:{moor_port}/health
    ca: {cert}
    expect: ["[STATUS] == 200", "[BODY].status == UP"]
""" for i in range(HTTPS_CHECKS)) + f"""  - name: port
    tcp: 127.0.0.1:{moor_port}
"""
        lab = os.path.join(work, "moor.yaml")
        with open(lab, "w") as f:
            f.write(CLUSTER + f"""watch:
  reconcile: 60s
  checks: 60s
  metrics:
    listen: 127.0.0.1:{metrics_port}
    textfile: {textfile}
checks:
""" + checks)
        subprocess.run([os.path.join(bin_dir, "moor"), "up", "-f", lab], env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        log = open(os.path.join(work, "watch.log"), "w")
        watch = subprocess.Popen([os.path.join(bin_dir, "moor"), "watch", "-f", lab], env=env, stdout=subprocess.DEVNULL, stderr=log)
        baseline = subprocess.Popen([sys.executable, "-c", BASELINE, str(base_port), cert, str(HTTPS_CHECKS)])
        time.sleep(2)  # both started, first reconcile done
        loads, stop_client = [], threading.Event()
        if args.page_client > 0:
            def client():
                import urllib.request
                while not stop_client.wait(args.page_client):
                    began = time.perf_counter()
                    try:
                        with urllib.request.urlopen(f"http://127.0.0.1:{metrics_port}/", timeout=10) as response:
                            response.read()
                        loads.append((time.perf_counter() - began) * 1000)
                    except OSError:
                        loads.append(float("nan"))
            threading.Thread(target=client, daemon=True).start()
        start = time.perf_counter()
        moor_cpu0, _ = cpu_seconds(watch.pid)
        base_cpu0, _ = cpu_seconds(baseline.pid)
        tools_cpu0 = sum(sum(cpu_seconds(p)) for p in descendants(watch.pid))
        peak_rss = 0.0
        end = start + args.minutes * 60
        while time.perf_counter() < end:
            peak_rss = max(peak_rss, memory(watch.pid, "VmRSS"))
            if watch.poll() is not None:
                print("moor watch exited early; its log:\n" + open(os.path.join(work, "watch.log")).read())
                return 1
            time.sleep(1)
        wall = time.perf_counter() - start
        stop_client.set()
        moor_cpu = cpu_seconds(watch.pid)[0] - moor_cpu0
        base_cpu = cpu_seconds(baseline.pid)[0] - base_cpu0
        tools_cpu = sum(sum(cpu_seconds(p)) for p in descendants(watch.pid)) - tools_cpu0
        moor_hwm, base_hwm = memory(watch.pid, "VmHWM"), memory(baseline.pid, "VmHWM")
        watch.send_signal(signal.SIGTERM)
        stopped = time.perf_counter()
        status = watch.wait(timeout=10)
        stop_took = time.perf_counter() - stopped
        moor_pct, base_pct = 100 * moor_cpu / wall, 100 * base_cpu / wall
        reconciles = open(os.path.join(work, "watch.log")).read().count("reconcile failed")
        print(f"moor watch, {HTTPS_CHECKS + 1} checks at 60 s + the seed's cluster loop (reconcile 60 s, docker events), {wall / 60:.1f} min")
        print(f"  moor watch   CPU {moor_cpu:6.2f} s = {moor_pct:.3f} % of one core (bar: < 1 %)   peak RSS {max(moor_hwm, peak_rss):5.1f} MB (bar: < 60 MB)")
        print(f"  python naive CPU {base_cpu:6.2f} s = {base_pct:.3f} % of one core               peak RSS {base_hwm:5.1f} MB   (checks only)")
        print(f"  ratio moor / python: CPU {moor_cpu / base_cpu if base_cpu else float('nan'):.2f}, RSS {max(moor_hwm, peak_rss) / base_hwm:.2f}")
        print(f"  stand-in tools started by watch (docker events follower, reconcile reads): CPU {tools_cpu:.2f} s (not moor's)")
        print(f"  HTTPS requests served: moor {moor_hits['n']}, python {base_hits['n']} (expected about {HTTPS_CHECKS * wall / 60:.0f} each)")
        print(f"  reconcile failures logged: {reconciles}; SIGTERM → exit {status} in {stop_took * 1000:.0f} ms")
        if args.page_client > 0:
            good = sorted(x for x in loads if x == x)
            print(f"  status page loaded every {args.page_client:g} s: {len(good)} loads ({len(loads) - len(good)} failed), "
                  f"median {statistics.median(good):.1f} ms, max {good[-1]:.1f} ms" if good else "  status page: no load succeeded")
        ok = moor_pct < 1 and max(moor_hwm, peak_rss) < 60 and status == 0
        return 0 if ok else 1
    finally:
        for child in (watch, baseline):
            if child and child.poll() is None:
                child.kill()
        shutil.rmtree(work, ignore_errors=True)


class socket_free:
    """A free loopback port (bound, then released)."""
    def __enter__(self):
        import socket
        self.s = socket.socket()
        self.s.bind(("127.0.0.1", 0))
        return self.s.getsockname()[1]

    def __exit__(self, *exc):
        self.s.close()


if __name__ == "__main__":
    sys.exit(main())
