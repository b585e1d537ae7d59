#!/usr/bin/env python3
"""How fast `moor watch` follows the real Docker engine, release build.

  eval "$(scripts/test-engines up)"; python3 benchmarks/real_engine_resync.py [--runs 3]

Builds release (static Swift runtime, as installed) and the tests, then runs the real-engine
watch tests against the release binary `--runs` times, collecting the lines they print:
- after `docker restart` of the node: seconds from the real `start` event to the tailnet
  forwarding to the new port, against the time `docker restart` itself took in the same run
  (the baseline: the engine's own work for the same restart);
- after dockerd is stopped for 6 s and started again: seconds from dockerd answering to the
  tailnet following the node's new port.
The tests themselves fail above 3 s for the container restart.
"""
import argparse, os, re, statistics, sys
from builds import debug_and_release, run
FILTER = "RealEngineTests.watchFollows"
CONTAINER = re.compile(r"real-engine container-restart resync ([0-9.]+) s after the start event; docker restart took ([0-9.]+) s")
DAEMON = re.compile(r"real-engine dockerd-restart resync ([0-9.]+) s after dockerd answered")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if "MOOR_TEST_NODE_IMAGE" not in os.environ:
        sys.exit('run `eval "$(scripts/test-engines up)"` first')
    _, release_bin = debug_and_release()
    resync, restart, daemon = [], [], []
    for _ in range(args.runs):
        result = run(["swift", "test", "--skip-build", "--filter", FILTER], env=dict(os.environ, MOOR_TEST_BIN_DIR=release_bin))
        if result.returncode != 0:
            print(result.stdout[-4000:], file=sys.stderr)
            sys.exit("the real-engine watch tests failed")
        for match in CONTAINER.finditer(result.stdout):
            resync.append(float(match.group(1)))
            restart.append(float(match.group(2)))
        daemon += [float(m.group(1)) for m in DAEMON.finditer(result.stdout)]
    if not resync or not daemon:
        sys.exit("no measurements: were the real-engine tests skipped (no engine)?")
    r, b, d = statistics.median(resync), statistics.median(restart), statistics.median(daemon)
    print(f"real engine, release build, median of {len(resync)}")
    print(f"  docker restart of the node (baseline)           {b * 1000:7.0f} ms")
    print(f"  watch re-sync after the start event (bar 3 s)    {r * 1000:7.0f} ms   ratio to baseline {r / b:.2f}")
    print(f"  watch re-sync after dockerd answers again        {d * 1000:7.0f} ms   ratio to baseline {d / b:.2f}")


if __name__ == "__main__":
    main()
