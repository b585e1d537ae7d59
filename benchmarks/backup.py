#!/usr/bin/env python3
"""Backing up and restoring 1 GB of volumes: moor's peak RSS and its time against a bare tar
over the same directory, measured in the same run, rounds alternating.

The cluster is k3s on this machine (stand-in `k3s` and `systemctl`; `sudo` a bare exec, as
root needs none), its volume's path read from the API emulator's PersistentVolume, so the
real tar streams the directory straight into the backup file as it would over ssh.

  python3 benchmarks/backup.py [--megabytes 1024] [--rounds 3]

- backup: `moor backup` (node manifest, tar into the backup path, the archive read back and
  every file checked) against `tar -C DIR -cf - . | cat > FILE`;
- restore: `moor backups restore ID` (the archive checked, unpacked, the directory's manifest
  checked) against `cat FILE | tar -C DIR -xf -`.

Before every timed run, bare or moor's, the source is read into the page cache and the disk
queue flushed, so each starts from the same state. Each run's CPU (user + system, with every
process it started) is printed beside its time: on a 2-core machine the hashes moor adds
(the node's manifest, the archive's check) compete with tar for the same cores.

Bars: moor's peak RSS < 64 MB (VmHWM of the moor process, sampled from /proc), time ≤ 1.3×
the bare tar. Linux only (VmHWM). Builds the release binaries (the scratch path scripts/test uses).
"""
import loopback
import argparse, json, os, resource, shutil, statistics, subprocess, sys, tempfile, threading, time


def children_cpu():
    """CPU seconds (user + system) of every child reaped so far, with their own children."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def warm(*paths):
    """Reads every file under `paths` (into the page cache), then flushes dirty pages: each
    timed run, bare or moor's, starts from the same cached source and a clean disk queue."""
    for path in paths:
        files = [os.path.join(d, f) for d, _, names in os.walk(path) for f in names] if os.path.isdir(path) else [path]
        for name in files:
            with open(name, "rb") as f:
                while f.read(1 << 20):
                    pass
    os.sync()


def timed_bare(script, *args):
    """Runs a bare shell pipeline; returns (seconds, CPU seconds)."""
    cpu = children_cpu()
    start = time.perf_counter()
    subprocess.run(["sh", "-c", script, "sh", *args], check=True)
    return time.perf_counter() - start, children_cpu() - cpu


def timed_moor(moor, args, env):
    """Runs moor; returns (seconds, peak RSS in MB, stdout, CPU seconds of moor and its children)."""
    cpu = children_cpu()
    start = time.perf_counter()
    child = subprocess.Popen([moor, *args] + (["--debug"] if DEBUG else []), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    samples = []
    threading.Thread(target=loopback.peak_rss, args=(child.pid, samples), daemon=True).start()
    out, err = child.communicate()
    seconds = time.perf_counter() - start
    if DEBUG:
        print(f"--- moor {args[0]} {seconds:.2f} s\n" + "\n".join(line for line in err.splitlines() if "exit" in line), file=sys.stderr)
    if child.returncode != 0:
        sys.exit(f"moor {' '.join(args)} failed ({child.returncode}): {err.strip()}")
    return seconds, (max(samples) / 1024 if samples else float("nan")), out, children_cpu() - cpu


DEBUG = False


def drop(path):
    shutil.rmtree(path, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--megabytes", type=int, default=1024)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--debug", action="store_true", help="moor --debug: every command it starts with its time, on stderr")
    args = parser.parse_args()
    global DEBUG
    DEBUG = args.debug
    bin_dir = loopback.release_bin()
    moor = os.path.join(bin_dir, "moor")
    work = tempfile.mkdtemp(prefix="moor-backup-bench-")
    api = None
    try:
        root = os.path.join(work, "host")
        env = dict(os.environ, MOOR_STANDIN_DIR=os.path.join(work, "world"), MOOR_STANDIN_ROOT=root, MOOR_STATE_DIR=os.path.join(work, "state"))
        os.makedirs(env["MOOR_STANDIN_DIR"])
        os.makedirs(os.path.join(root, ".standin"))
        with open(os.path.join(root, ".standin", "k3s-version"), "w") as f:
            f.write("v1.33.4+k3s1")
        open(os.path.join(root, ".standin", "k3s-active"), "w").close()
        bin_path = subprocess.run([os.path.join(bin_dir, "moor-standin"), "install", work], env=env, check=True,
                                  capture_output=True, text=True).stdout.strip()
        for tool in ("kubectl", "sudo"):
            if os.path.exists(os.path.join(bin_path, tool)):
                os.remove(os.path.join(bin_path, tool))
        for tool in ("k3s", "systemctl"):
            os.symlink(os.path.join(bin_dir, "moor-standin"), os.path.join(bin_path, tool))
        with open(os.path.join(bin_path, "sudo"), "w") as f:
            f.write('#!/bin/sh\n[ "$1" = -n ] && shift\nexec "$@"\n')
        os.chmod(os.path.join(bin_path, "sudo"), 0o755)
        env["PATH"] = bin_path + ":" + os.environ["PATH"]

        volume = os.path.join(work, "storage", "pvc-0b5e_bench_data")
        os.makedirs(volume)
        files = 16
        for index in range(files):
            with open(os.path.join(volume, f"chunk-{index:02d}"), "wb") as f:
                for _ in range(args.megabytes // files):
                    f.write(os.urandom(1 << 20))
        pv = {"apiVersion": "v1", "kind": "PersistentVolume", "metadata": {"name": "pvc-0b5e"},
              "spec": {"hostPath": {"path": volume}, "claimRef": {"namespace": "bench", "name": "data"}, "storageClassName": "local-path",
                       "capacity": {"storage": "2Gi"}, "accessModes": ["ReadWriteOnce"]}, "status": {"phase": "Bound"}}
        kubeconfig = os.path.join(work, "kubeconfig")
        setup = os.path.join(work, "kube-api.json")
        with open(setup, "w") as f:
            json.dump({"kubeconfig": kubeconfig, "context": "bench", "objects": [json.dumps(pv)]}, f)
        api = subprocess.Popen([os.path.join(bin_dir, "moor-standin"), "kube-api", setup], env=env, stderr=subprocess.DEVNULL)
        while not os.path.exists(kubeconfig):
            time.sleep(0.05)
        env["KUBECONFIG"] = kubeconfig
        backups = os.path.join(work, "backups")
        os.makedirs(backups)
        lab = os.path.join(work, "moor.yaml")
        with open(lab, "w") as f:
            f.write(f"version: 1\nclusters:\n  bench:\n    provider: k3s\n    kubeContext: bench\nbackups:\n  path: {backups}\n")

        bare = os.path.join(work, "bare.tar")
        results = {name: {"bare": [], "moor": [], "rss": [], "bare_cpu": [], "moor_cpu": []} for name in ("backup", "restore")}

        def record(name, bare, moor_run):
            results[name]["bare"].append(bare[0])
            results[name]["bare_cpu"].append(bare[1])
            results[name]["moor"].append(moor_run[0])
            results[name]["rss"].append(moor_run[1])
            results[name]["moor_cpu"].append(moor_run[3])
        verify = []
        for _ in range(args.rounds):
            warm(volume)
            bare_run = timed_bare('tar -C "$1" -cf - . | cat > "$2"', volume, bare)
            warm(volume)
            moor_run = timed_moor(moor, ["backup", "-f", lab, "-o", "json"], env)
            record("backup", bare_run, moor_run)
            backup_id = json.loads(moor_run[2])["backups"][0]["id"]
            verify.append(timed_moor(moor, ["backups", "verify", backup_id, "-f", lab], env)[0])

            target = os.path.join(work, "bare-restore")
            drop(target)
            os.makedirs(target)
            warm(bare)
            bare_run = timed_bare('cat "$1" | tar -C "$2" -xf -', bare, target)
            drop(target)
            warm(os.path.join(backups, "bench", backup_id))
            moor_run = timed_moor(moor, ["backups", "restore", backup_id, "-f", lab], env)
            record("restore", bare_run, moor_run)
            for entry in os.listdir(os.path.dirname(volume)):
                if ".moor-replaced-" in entry:
                    drop(os.path.join(os.path.dirname(volume), entry))
            os.remove(bare)

        ok = True
        print(f"  (moor backups verify alone, the read-back of every file: {statistics.median(verify):.2f} s)")
        print(f"{args.megabytes} MB in {files} files, {args.rounds} rounds (medians):")
        for name, row in results.items():
            bare_s, moor_s, rss = statistics.median(row["bare"]), statistics.median(row["moor"]), max(row["rss"])
            bare_cpu, moor_cpu = statistics.median(row["bare_cpu"]), statistics.median(row["moor_cpu"])
            ratio = moor_s / bare_s
            print(f"  {name}: moor {moor_s:.2f} s, bare tar {bare_s:.2f} s, ratio {ratio:.2f} (bar ≤ 1.3); moor's peak RSS {rss:.1f} MB (bar < 64 MB)")
            print(f"    CPU (user + system, every process): moor {moor_cpu:.2f} s, bare {bare_cpu:.2f} s; "
                  f"each run: moor {' '.join(f'{x:.2f}' for x in row['moor'])}, bare {' '.join(f'{x:.2f}' for x in row['bare'])}")
            ok = ok and rss < 64 and ratio <= 1.3
        return 0 if ok else 1
    finally:
        if api:
            api.terminate()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
