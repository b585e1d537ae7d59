"""Building what the benchmarks that compare builds run: the debug build with its tests, and
the release build as installed (loopback.RELEASE_FLAGS), in `.build-release`."""
import os, subprocess, sys
from loopback import RELEASE_FLAGS

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(argv, env=None):
    return subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True)


def debug_and_release():
    """Builds both; returns (debug bin dir, release bin dir), or exits with the build's output."""
    build = run(["swift", "build", "--build-tests"])
    if build.returncode != 0:
        sys.exit(build.stdout + build.stderr)
    release = [*RELEASE_FLAGS, "--scratch-path", ".build-release"]
    for product in ["moor", "moor-standin"]:
        done = run(["swift", "build", *release, "--product", product])
        if done.returncode != 0:
            sys.exit(done.stdout + done.stderr)
    return run(["swift", "build", "--show-bin-path"]).stdout.strip(), run(["swift", "build", *release, "--show-bin-path"]).stdout.strip()
