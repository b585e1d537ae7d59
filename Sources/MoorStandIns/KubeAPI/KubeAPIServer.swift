import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// A Kubernetes API emulator on 127.0.0.1 for the real `kubectl`: discovery, an OpenAPI v3
/// stub, CRUD of a few kinds, merge / JSON / strategic / server-side apply patches, and an
/// ArgoCD-like controller step. Plain HTTP; `kubeconfig(context:)` points kubectl at it.
public final class KubeAPIServer: @unchecked Sendable {
    public let port: Int
    public let store: KubeStore
    private let channel: any Channel

    private init(port: Int, store: KubeStore, channel: any Channel) {
        self.port = port
        self.store = store
        self.channel = channel
    }

    public static func start() async throws -> KubeAPIServer {
        let store = KubeStore()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { child in
                child.pipeline.configureHTTPServerPipeline(withServerUpgrade: (upgraders: [KubeExec.upgrader(store: store)], completionHandler: { _ in })).flatMap {
                    child.pipeline.addHandler(KubeHTTPHandler(store: store), name: KubeHTTPHandler.name)
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress?.port ?? 0
        store.serverAddress = "127.0.0.1:\(port)"
        return KubeAPIServer(port: port, store: store, channel: channel)
    }

    public var url: String { "http://127.0.0.1:\(port)" }

    /// A kubeconfig whose context `context` (and cluster and user) reach this server.
    public func kubeconfig(context: String) -> String {
        """
        apiVersion: v1
        kind: Config
        clusters:
        - cluster:
            server: \(url)
          name: \(context)
        contexts:
        - context:
            cluster: \(context)
            user: \(context)
          name: \(context)
        current-context: \(context)
        users:
        - name: \(context)
          user:
            token: emulator

        """
    }

    public func stop() async { try? await channel.close().get() }

    /// What `moor-standin kube-api SETUP.json` serves: objects to start with, the commits
    /// revisions resolve to, apps of apps, and where to write the kubeconfig.
    struct Setup: Decodable {
        var kubeconfig: String
        var context: String
        var objects: [String]?
        var commits: [String: String]?
        var appOfApps: [String: [String]]?
        var requiresSecret: [String: String]?
    }

    /// Serves until killed (the demo and benchmarks run it as a background process).
    public static func serveForever(stateFile: String) -> Never {
        do {
            let setup = try JSONDecoder().decode(Setup.self, from: Data(contentsOf: URL(fileURLWithPath: stateFile)))
            let store = KubeStore()
            for object in setup.objects ?? [] { try store.put(json: object) }
            store.commits = setup.commits ?? [:]
            store.appOfApps = try (setup.appOfApps ?? [:]).mapValues { texts in
                try texts.compactMap { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            }
            store.requiresSecret = setup.requiresSecret ?? [:]
            let channel = try ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelInitializer { child in
                    child.pipeline.configureHTTPServerPipeline(withServerUpgrade: (upgraders: [KubeExec.upgrader(store: store)], completionHandler: { _ in })).flatMap {
                        child.pipeline.addHandler(KubeHTTPHandler(store: store), name: KubeHTTPHandler.name)
                    }
                }
                .bind(host: "127.0.0.1", port: 0).wait()
            let port = channel.localAddress?.port ?? 0
            store.serverAddress = "127.0.0.1:\(port)"
            let server = KubeAPIServer(port: port, store: store, channel: channel)
            try server.kubeconfig(context: setup.context).write(toFile: setup.kubeconfig, atomically: true, encoding: .utf8)
            // `server` closes the channel when it is freed: keep it alive while serving.
            try withExtendedLifetime(server) { try channel.closeFuture.wait() }
        } catch {
            FileHandle.standardError.write(Data("moor-standin kube-api: \(error)\n".utf8))
            exit(1)
        }
        exit(0)
    }

    deinit { channel.close(promise: nil) }
}

/// Collects one request (head and body), lets the store answer it.
/// Used on its channel's event loop only.
final class KubeHTTPHandler: ChannelInboundHandler, RemovableChannelHandler, @unchecked Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    static let name = "kube-http"
    let store: KubeStore
    var head: HTTPRequestHead?
    var body: [UInt8] = []

    init(store: KubeStore) { self.store = store }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body = []
        case .body(var buffer):
            body += buffer.readBytes(length: buffer.readableBytes) ?? []
        case .end:
            guard let head else { return }
            let request = KubeRequest(method: head.method.rawValue, uri: head.uri,
                                      contentType: head.headers.first(name: "Content-Type") ?? "", body: body)
            let response = store.handle(request)
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: "application/json")
            headers.add(name: "Content-Length", value: String(response.body.count))
            let keepAlive = head.isKeepAlive
            if !keepAlive { headers.add(name: "Connection", value: "close") }
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .init(statusCode: response.status), headers: headers))), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: response.body)))), promise: nil)
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
                if !keepAlive { channel.close(promise: nil) }
            }
            self.head = nil
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) { context.close(promise: nil) }
}

struct KubeRequest {
    var method: String
    var uri: String
    var contentType: String
    var body: [UInt8]

    var path: String { String(uri.split(separator: "?", maxSplits: 1).first ?? "") }

    var query: [String: String] {
        guard let q = uri.split(separator: "?", maxSplits: 1).dropFirst().first else { return [:] }
        var result: [String: String] = [:]
        for pair in q.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            result[parts[0]] = parts.count > 1 ? (parts[1].removingPercentEncoding ?? parts[1]) : ""
        }
        return result
    }
}

struct KubeResponse {
    var status: Int
    var body: [UInt8]

    static func json(_ status: Int, _ value: Any) -> KubeResponse {
        let data = (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys])) ?? Data()
        return KubeResponse(status: status, body: [UInt8](data))
    }

    static func status(_ code: Int, reason: String, message: String, details: [String: Any] = [:]) -> KubeResponse {
        json(code, ["kind": "Status", "apiVersion": "v1", "metadata": [String: Any](), "status": "Failure",
                    "message": message, "reason": reason, "details": details, "code": code])
    }
}
