#!/usr/bin/env python3
"""Counts and times a no-op `moor up` against the stand-in tools, with baselines measured
in the same run on the same machine (these machines are shared and noisy, so ratios matter
more than absolute numbers).

  python3 benchmarks/noop_up.py [--runs 20]

Baselines:
  commands-alone   the exact commands moor started for a no-op, replayed one after another
                   (what those tools cost by themselves)
  ansible-like     the ~15 commands the seed's Ansible role runs on every play, serially
Also times `moor --help` and `moor validate -f examples/homelab.yaml` against `/bin/true`.
"""
import argparse, json, os, shutil, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LAB = """version: 1
cluster:
  name: minikube
  driver: docker
  containerRuntime: docker
  cpus: 6
  memory: 11264MiB
  disk: 200g
  apiServer: {names: [k8s.tail8d86e.ts.net, indri], port: 6443, listenAddress: 0.0.0.0}
  registryMirrors:
    - {registry: registry.tail8d86e.ts.net, mirror: "http://host.minikube.internal:5050", capabilities: [pull, resolve, push], skipVerify: true}
    - {registry: docker.io, upstream: "https://registry-1.docker.io", mirror: "http://host.minikube.internal:5050", skipVerify: true}
    - {registry: ghcr.io, mirror: "http://host.minikube.internal:5050", skipVerify: true}
    - {registry: quay.io, mirror: "http://host.minikube.internal:5050", skipVerify: true}
expose:
  tailscale: {service: "svc:k8s", port: 443}
"""
REGISTRIES = ["registry.tail8d86e.ts.net", "docker.io", "ghcr.io", "quay.io"]


def timed(argv, env, runs):
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def replay(commands, env, runs):
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        for argv in commands:
            subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def gitops_noop(moor, bin_dir, work, runs):
    """The seed lab plus the demo's GitOps part, bootstrapped once; then how many commands a
    no-op `up` starts (counted from --debug, kubectl included) and its median time."""
    lab_dir = os.path.join(work, "gitops")
    os.makedirs(lab_dir)
    env = dict(os.environ, PATH=os.path.join(work, "bin") + ":" + os.environ["PATH"], MOOR_STANDIN_DIR=os.path.join(work, "world"),
               MOOR_STATE_DIR=os.path.join(work, "state"), KUBECONFIG=os.path.join(lab_dir, "kubeconfig"),
               MINIFLUX_DB_PASSWORD="bench-password")
    standin = os.path.join(bin_dir, "moor-standin")
    os.symlink(standin, os.path.join(work, "bin", "op"))
    os.remove(os.path.join(work, "bin", "kubectl"))  # the real one talks to the emulator
    subprocess.run([standin, "demo-setup", lab_dir], env=env, check=True)
    server = subprocess.Popen([standin, "kube-api", os.path.join(lab_dir, "kube-api.json")], env=env)
    try:
        for _ in range(500):
            if os.path.exists(env["KUBECONFIG"]):
                break
            time.sleep(0.01)
        lab = os.path.join(lab_dir, "moor.yaml")
        with open(lab, "w") as f:
            f.write(LAB + open(os.path.join(lab_dir, "gitops.yaml")).read())
        subprocess.run([moor, "up", "-f", lab, "--timeout", "60s"], env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        result = subprocess.run([moor, "up", "-f", lab, "-o", "json", "--debug"], env=env, capture_output=True, text=True, check=True)
        assert json.loads(result.stdout)["applied"] == [], "the second up was not a no-op"
        count = sum(1 for line in result.stderr.splitlines() if "ran command" in line)
        return count, timed([moor, "up", "-f", lab], env, runs)
    finally:
        server.terminate()
        server.wait()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    subprocess.run(["swift", "build", "-c", "release", "--product", "moor"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    bin_dir = subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=ROOT, check=True,
                             capture_output=True, text=True).stdout.strip()
    moor = os.path.join(bin_dir, "moor")
    work = tempfile.mkdtemp(prefix="moor-bench-")
    try:
        os.makedirs(os.path.join(work, "bin"))
        os.makedirs(os.path.join(work, "world"))
        for tool in ["minikube", "docker", "tailscale", "kubectl"]:
            os.symlink(os.path.join(bin_dir, "moor-standin"), os.path.join(work, "bin", tool))
        lab = os.path.join(work, "moor.yaml")
        with open(lab, "w") as f:
            f.write(LAB)
        env = dict(os.environ, PATH=os.path.join(work, "bin") + ":" + os.environ["PATH"],
                   MOOR_STANDIN_DIR=os.path.join(work, "world"), MOOR_STATE_DIR=os.path.join(work, "state"))
        subprocess.run([moor, "up", "-f", lab], env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

        calls_path = os.path.join(work, "world", "calls.log")
        before = sum(1 for _ in open(calls_path))
        result = subprocess.run([moor, "up", "-f", lab, "-o", "json"], env=env, capture_output=True, text=True, check=True)
        assert json.loads(result.stdout)["applied"] == [], "the second up was not a no-op"
        calls = [json.loads(line) for line in open(calls_path)][before:]

        port = json.loads(subprocess.run([moor, "status", "-f", lab, "-o", "json"], env=env, capture_output=True,
                                         text=True).stdout)["cluster"]["apiServer"]["hostPort"]
        ansible = [["minikube", "status", "-p", "minikube", "-o", "json"],
                   ["minikube", "profile", "list", "-o", "json"],
                   ["docker", "info", "--format", "{{.MemTotal}}"],
                   ["kubectl", "config", "view", "--minify", "--context=minikube", "-o", "jsonpath={.clusters[0].cluster.server}"],
                   ["docker", "port", "minikube", "6443/tcp"],
                   ["tailscale", "serve", "status", "--json"],
                   ["tailscale", "serve", "--bg", "--service=svc:k8s", "--tcp=443", f"tcp://localhost:{port}"]]
        for registry in REGISTRIES:
            path = f"/etc/containerd/certs.d/{registry}/hosts.toml"
            ansible.append(["minikube", "ssh", "-p", "minikube", "--", "sudo", "cat", path])
            ansible.append(["minikube", "ssh", "-p", "minikube", "--", "sudo", "sh", "-c", "'mkdir -p \"$(dirname \"$1\")\"'", "sh", path])

        runs = args.runs
        noop = timed([moor, "up", "-f", lab], env, runs)
        alone = replay(calls, env, runs)
        like_ansible = replay(ansible, env, runs)
        true_time = timed(["/bin/true"], env, runs)
        help_time = timed([moor, "--help"], env, runs)
        validate_time = timed([moor, "validate", "-f", os.path.join(ROOT, "examples", "homelab.yaml")], env, runs)

        ms = lambda s: f"{s * 1000:7.1f} ms"
        print(f"no-op `moor up`: {len(calls)} external commands (bar: at most 5); the Ansible-like baseline runs {len(ansible)}")
        for argv in calls:
            print("    " + " ".join(argv))
        print(f"median of {runs} runs:")
        print(f"  moor up (no-op)            {ms(noop)}")
        print(f"  its commands, serially     {ms(alone)}   moor's own time beyond them: {ms(noop - alone)} (bar: < 1000 ms)")
        print(f"  ansible-like, serially     {ms(like_ansible)}   ratio moor / ansible-like: {noop / like_ansible:.2f}")
        print(f"  /bin/true                  {ms(true_time)}")
        print(f"  moor --help                {ms(help_time)}   (bar: well under 100 ms)")
        print(f"  moor validate (example)    {ms(validate_time)}   (bar: well under 100 ms)")
        gitops_count, gitops_time = gitops_noop(moor, bin_dir, work, runs)
        print(f"no-op `moor up` with gitops (ArgoCD, 2 secret templates, an app of apps with 2 children; the real kubectl")
        print(f"  against the API emulator): {gitops_count} commands (bar: at most 5 + 1 per GitOps kind = 8), median {ms(gitops_time)}")
        return 0 if len(calls) <= 5 and gitops_count <= 8 else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
