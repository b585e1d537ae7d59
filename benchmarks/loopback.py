"""What the check benchmarks share: an HTTPS server on 127.0.0.1 that serves `handler`."""
import http.server, ssl, threading


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
