#!/usr/bin/env python3
"""A no-op `moor up` on a two-cluster lab (minikube through the stand-ins, k3s through its
stand-ins over a root directory) against the same lab with only the minikube cluster, in
the same run: the commands each cluster costs (counted from --debug) and the wall time.
The two clusters are observed concurrently, so the ratio should be close to 1, not 2.

  python3 benchmarks/two_clusters.py [--runs 20] [--release]

The k3s cluster runs on this machine here (no sshd), so what is compared is moor's own
concurrency, not ssh latency; the end-to-end tests run k3s behind a real sshd.
"""
import argparse, json, os, re, shutil, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MINIKUBE = """  indri:
    provider: minikube
    profile: minikube
    driver: docker
    containerRuntime: containerd
    apiServer: {names: [k8s.tail8d86e.ts.net]}
    registryMirrors:
      - {registry: docker.io, mirror: "https://registry.ops.eblu.me"}
      - {registry: ghcr.io, mirror: "https://registry.ops.eblu.me"}
"""
K3S = """  ringtail:
    provider: k3s
    apiServer: {names: [ringtail.tail8d86e.ts.net]}
    registryMirrors:
      - {registry: docker.io, mirror: "https://registry.ops.eblu.me", skipVerify: true}
      - {registry: ghcr.io, mirror: "https://registry.ops.eblu.me", skipVerify: true}
"""


def timed(argv, env, runs):
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def commands(moor, lab, env):
    """The argv of every command a no-op `up` started (from --debug)."""
    result = subprocess.run([moor, "up", "-f", lab, "-o", "json", "--debug"], env=env, capture_output=True, text=True, check=True)
    assert json.loads(result.stdout)["applied"] == [], "the up was not a no-op: " + result.stdout
    found = []
    for line in result.stderr.splitlines():
        if "ran command" in line:
            match = re.search(r"argv=\[(.*?)\]", line)
            found.append(match.group(1) if match else line)
    return found


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--release", action="store_true", help="build and use the release moor (as installed)")
    args = parser.parse_args()
    config = ["-c", "release"] if args.release else []
    subprocess.run(["swift", "build", *config, "--product", "moor"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    subprocess.run(["swift", "build", "--product", "moor-standin"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    moor = os.path.join(subprocess.run(["swift", "build", *config, "--show-bin-path"], cwd=ROOT, capture_output=True, text=True).stdout.strip(), "moor")
    standin = os.path.join(subprocess.run(["swift", "build", "--show-bin-path"], cwd=ROOT, capture_output=True, text=True).stdout.strip(), "moor-standin")
    work = tempfile.mkdtemp(prefix="moor-bench-two-")
    try:
        bin_dir, root = os.path.join(work, "bin"), os.path.join(work, "ringtail")
        os.makedirs(bin_dir)
        os.makedirs(os.path.join(work, "world"))
        for tool in ["minikube", "docker", "tailscale", "kubectl", "k3s", "sudo", "systemctl"]:
            os.symlink(standin, os.path.join(bin_dir, tool))
        os.makedirs(os.path.join(root, ".standin"))
        os.makedirs(os.path.join(root, "etc", "rancher", "k3s"))
        with open(os.path.join(root, ".standin", "k3s-version"), "w") as f:
            f.write("v1.33.4+k3s1")
        env = dict(os.environ, PATH=bin_dir + ":" + os.environ["PATH"], MOOR_STANDIN_DIR=os.path.join(work, "world"),
                   MOOR_STATE_DIR=os.path.join(work, "state"), MOOR_STANDIN_ROOT=root)
        one, two = os.path.join(work, "one.yaml"), os.path.join(work, "two.yaml")
        with open(one, "w") as f:
            f.write("version: 1\nclusters:\n" + MINIKUBE)
        with open(two, "w") as f:
            f.write("version: 1\nclusters:\n" + MINIKUBE + K3S)
        subprocess.run([moor, "up", "-f", two], env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        one_commands, two_commands = commands(moor, one, env), commands(moor, two, env)
        k3s = [c for c in two_commands if c.startswith('"sudo"') or c.startswith('"systemctl"') or c.startswith('"k3s"')]
        minikube = [c for c in two_commands if c not in k3s]
        one_time, two_time = timed([moor, "up", "-f", one], env, args.runs), timed([moor, "up", "-f", two], env, args.runs)
        true_time = timed(["/bin/true"], env, args.runs)
        print(f"no-op `moor up`, {'release' if args.release else 'debug'} build, median of {args.runs} runs:")
        print(f"  one cluster (minikube)        {one_time * 1000:7.1f} ms   {len(one_commands)} commands")
        print(f"  two clusters (+ k3s)          {two_time * 1000:7.1f} ms   {len(minikube)} minikube-side + {len(k3s)} k3s-side commands (bar: 5 + 3)")
        print(f"  ratio two / one               {two_time / one_time:7.2f}      (bar: close to 1, not 2: the clusters are observed at once)")
        print(f"  /bin/true                     {true_time * 1000:7.1f} ms")
        for argv in two_commands:
            print("    " + argv)
        return 0 if len(minikube) <= 5 and len(k3s) <= 3 else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
