#!/usr/bin/env python3
"""moor's peak memory while it migrates a cluster holding a 200 MB volume (qemu2 → docker,
stand-in tools, real tar in a real node directory). The backup and the restore stream through
files, so moor's own peak RSS must stay far below the data's size.

  python3 benchmarks/migrate_rss.py [--megabytes 200]

Bar: moor's peak RSS < 100 MB (VmHWM of the moor process alone, sampled from /proc; the
stand-ins are other processes). Linux only.
"""
import loopback
import argparse, os, shutil, subprocess, sys, tempfile, threading, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LAB = loopback.SEED_CLUSTER




def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--megabytes", type=int, default=200)
    args = parser.parse_args()
    subprocess.run(["swift", "build", "-c", "release"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    bin_dir = subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=ROOT, check=True,
                             capture_output=True, text=True).stdout.strip()
    work = tempfile.mkdtemp(prefix="moor-migrate-bench-")
    try:
        env = dict(os.environ, MOOR_STANDIN_DIR=os.path.join(work, "world"), MOOR_STATE_DIR=os.path.join(work, "state"))
        os.makedirs(env["MOOR_STANDIN_DIR"])
        bin_path = subprocess.run([os.path.join(bin_dir, "moor-standin"), "install", work], env=env, check=True,
                                  capture_output=True, text=True).stdout.strip()
        env["PATH"] = bin_path + ":" + os.environ["PATH"]
        subprocess.run(["minikube", "start", "-p", "minikube", "--driver=qemu2", "--container-runtime=containerd", "--cpus=4",
                        "--memory=8192mb", "--apiserver-names=k8s.tail8d86e.ts.net", "--apiserver-names=indri",
                        "--apiserver-port=6443", "--listen-address=0.0.0.0"], env=env, check=True, stdout=subprocess.DEVNULL)
        volume = os.path.join(work, "world", "nodes", "minikube", "tmp", "hostpath-provisioner", "default", "data-pg-0")
        os.makedirs(volume)
        with open(os.path.join(volume, "blob"), "wb") as f:
            for _ in range(args.megabytes):
                f.write(os.urandom(1 << 20))
        lab = os.path.join(work, "moor.yaml")
        with open(lab, "w") as f:
            f.write(LAB)
        start = time.perf_counter()
        child = subprocess.Popen([os.path.join(bin_dir, "moor"), "migrate", "-f", lab], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        samples = []
        sampler = threading.Thread(target=loopback.peak_rss, args=(child.pid, samples), daemon=True)
        sampler.start()
        _, status = os.waitpid(child.pid, 0)
        wall = time.perf_counter() - start
        rss = max(samples) / 1024 if samples else float("nan")
        print(f"moor migrate with a {args.megabytes} MB volume: exit {os.waitstatus_to_exitcode(status)}, {wall:.1f} s")
        print(f"  moor's peak RSS (VmHWM): {rss:.1f} MB (bar: < 100 MB; the volume is {args.megabytes} MB)")
        return 0 if os.waitstatus_to_exitcode(status) == 0 and rss < 100 else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
