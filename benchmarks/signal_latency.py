#!/usr/bin/env python3
"""Time from a signal to moor's exit, debug build against release build, in the same run.

  python3 benchmarks/signal_latency.py [--runs 3]

Builds both (debug with the tests; release with the static Swift runtime, as installed), then
runs the signal tests (`SignalTests`: up in `minikube profile list` and in `minikube start`,
migrate during its backup, apps sync while waiting, check on a silent TLS peer; and watch
with a hung `minikube start`) against each binary through `MOOR_TEST_BIN_DIR`, collecting
the `signal-latency` lines the tests print. Reports the median per case and build, and the
ratio release / debug. The tests themselves fail above 2 s.
"""
import argparse, collections, os, re, statistics, sys
from builds import debug_and_release, run
FILTER = "SignalTests|aSignalDuringAHungToolExitsZeroWithinTwoSeconds"
LINE = re.compile(r"signal-latency (.+) (SIGINT|SIGTERM) ([0-9.]+) s \((.+)\)")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    debug_bin, release_bin = debug_and_release()
    samples = collections.defaultdict(list)
    for _ in range(args.runs):
        for name, directory in [("debug", debug_bin), ("release", release_bin)]:
            env = dict(os.environ, MOOR_TEST_BIN_DIR=directory)
            result = run(["swift", "test", "--skip-build", "--filter", FILTER], env=env)
            if result.returncode != 0:
                print(result.stdout[-4000:], file=sys.stderr)
                sys.exit(f"the signal tests failed against the {name} build")
            for match in LINE.finditer(result.stdout):
                samples[(match.group(1), match.group(2), name)].append(float(match.group(3)))
    cases = sorted({(case, signal) for case, signal, _ in samples})
    print(f"signal to exit, median of {args.runs} (bar: < 2 s; watch exits 0, the others 130)")
    print(f"  {'command (where it was)':38} {'signal':8} {'debug':>9} {'release':>9} {'release/debug':>14}")
    for case, signal in cases:
        debug = statistics.median(samples[(case, signal, "debug")])
        release_value = statistics.median(samples[(case, signal, "release")])
        print(f"  {case:38} {signal:8} {debug * 1000:7.1f}ms {release_value * 1000:7.1f}ms {release_value / debug if debug else 0:14.2f}")


if __name__ == "__main__":
    main()
