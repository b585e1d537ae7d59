"""What the benchmarks share: a self-signed certificate for 127.0.0.1, an HTTPS server on
127.0.0.1 that serves `handler`, a health endpoint, and the seed's cluster as a lab file."""
import http.server, os, ssl, subprocess, sys, threading

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def peak_rss(pid, samples):
    """Appends the process's VmHWM (peak RSS, KiB) every 10 ms until it is gone. Linux."""
    import time
    while True:
        try:
            with open(f"/proc/{pid}/status") as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        samples.append(int(line.split()[1]))
        except OSError:
            return
        time.sleep(0.01)


# The release build as installed (README, scripts/test): no debug information, and the static
# Swift runtime on Linux.
RELEASE_FLAGS = ["-c", "release", "-debug-info-format", "none"] + (["--static-swift-stdlib"] if sys.platform.startswith("linux") else [])


def release_bin(products=("moor", "moor-standin")):
    """Builds `products` in release where scripts/test builds the binary users install
    (`.build-release`, with RELEASE_FLAGS); returns the bin directory."""
    base = ["swift", "build", *RELEASE_FLAGS, "--scratch-path", os.path.join(ROOT, ".build-release")]
    for product in products:
        subprocess.run(base + ["--product", product], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return subprocess.run(base + ["--show-bin-path"], cwd=ROOT, check=True, capture_output=True, text=True).stdout.strip()

SEED_CLUSTER = """version: 1
cluster:
  name: minikube
  driver: docker
  containerRuntime: containerd
  cpus: 6
  memory: 11264MiB
  disk: 200g
  apiServer: {names: [k8s.tail8d86e.ts.net, indri], port: 6443, listenAddress: 0.0.0.0}
expose:
  tailscale: {service: "svc:k8s", port: 443}
"""


def certificates(work):
    """A self-signed EC certificate for localhost and 127.0.0.1; returns (key, cert) paths."""
    key, cert = os.path.join(work, "key.pem"), os.path.join(work, "cert.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"], check=True, capture_output=True)
    return key, cert


def health_handler(counter=None):
    """Answers every GET with {"status":"UP"}, counting requests in `counter` ({"n", "lock"})."""
    class Health(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"

        def do_GET(self):
            if counter is not None:
                with counter["lock"]:
                    counter["n"] += 1
            body = b'{"status":"UP"}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass
    return Health


class Server(http.server.ThreadingHTTPServer):
    # A class attribute: listen() runs in the constructor, so setting it afterwards is too late
    # (a backlog of 5 drops SYNs under load and costs 1 s retransmits).
    request_queue_size = 1024
    daemon_threads = True


def serve_https(handler, key, cert):
    """Starts the server in a thread; returns its port."""
    server = Server(("127.0.0.1", 0), handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server.server_address[1]
