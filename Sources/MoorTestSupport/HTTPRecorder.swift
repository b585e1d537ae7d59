import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// A loopback HTTP server that answers with a status the test can change at any time and
/// keeps every request it got: the flipping service under a check, and an ntfy server.
public final class HTTPRecorder: @unchecked Sendable {
    public struct Request: Sendable {
        public var method: String
        public var uri: String
        public var headers: [String: String]
        public var body: Data

        public var json: [String: Any]? { try? JSONSerialization.jsonObject(with: body) as? [String: Any] }
    }

    private let lock = NSLock()
    private var _status: Int
    private var _delay: Duration = .zero
    private var inFlight = 0
    private var _maxInFlight = 0
    private var _requests: [Request] = []
    private let channel: any Channel
    public let port: Int

    /// Binds 127.0.0.1:`port` (0 picks a free one).
    public init(status: Int = 200, port: Int = 0) async throws {
        _status = status
        let box = Box()
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { child in
                child.pipeline.configureHTTPServerPipeline().flatMap {
                    child.pipeline.addHandler(RecorderHandler(box: box))
                }
            }
            .bind(host: "127.0.0.1", port: port).get()
        self.port = channel.localAddress?.port ?? 0
        box.owner = self
    }

    public var status: Int {
        get { lock.withLock { _status } }
        set { lock.withLock { _status = newValue } }
    }

    /// How long each answer waits (the request is recorded at once).
    public var delay: Duration {
        get { lock.withLock { _delay } }
        set { lock.withLock { _delay = newValue } }
    }

    public var requests: [Request] { lock.withLock { _requests } }

    /// The most requests it was answering at once since the last `resetConcurrency`.
    public var maxInFlight: Int { lock.withLock { _maxInFlight } }
    public func resetConcurrency() { lock.withLock { _maxInFlight = inFlight } }

    func answered() { lock.withLock { inFlight -= 1 } }

    func take(_ request: Request) -> (Int, Duration) {
        lock.withLock {
            _requests.append(request)
            inFlight += 1
            _maxInFlight = max(_maxInFlight, inFlight)
            return (_status, _delay)
        }
    }

    public func stop() async { try? await channel.close().get() }

    // No close in deinit: a test's last use of its server is often before the traffic it
    // expects (a port captured in a lab file), and an optimized build may free it right
    // then. A server lives until `stop()` or the end of the test process.

    /// Strong: the recorder lives as long as its listening channel, which the event loop keeps.
    final class Box: @unchecked Sendable { var owner: HTTPRecorder? }
}

final class RecorderHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let box: HTTPRecorder.Box
    var head: HTTPRequestHead?
    var body = Data()

    init(box: HTTPRecorder.Box) { self.box = box }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let request):
            head = request
            body = Data()
        case .body(var buffer):
            body.append(contentsOf: buffer.readBytes(length: buffer.readableBytes) ?? [])
        case .end:
            guard let request = head else { return }
            var headers: [String: String] = [:]
            for (name, value) in request.headers { headers[name.lowercased()] = value }
            let (status, delay) = box.owner?.take(HTTPRecorder.Request(method: "\(request.method)", uri: request.uri, headers: headers, body: body)) ?? (500, .zero)
            if delay > .zero {
                let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
                context.eventLoop.scheduleTask(in: .nanoseconds(Int64(delay.components.seconds * 1_000_000_000 + delay.components.attoseconds / 1_000_000_000))) {
                    let (handler, context) = loopBound.value
                    handler.answer(status, version: request.version, context: context)
                }
                return
            }
            answer(status, version: request.version, context: context)
        }
    }

    func answer(_ status: Int, version: HTTPVersion, context: ChannelHandlerContext) {
        box.owner?.answered()
        let text = "{\"status\":\(status)}"
        var responseHeaders = HTTPHeaders()
        responseHeaders.add(name: "Content-Type", value: "application/json")
        responseHeaders.add(name: "Content-Length", value: "\(text.utf8.count)")
        responseHeaders.add(name: "Connection", value: "close")
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: version, status: HTTPResponseStatus(statusCode: status), headers: responseHeaders))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: text)))), promise: nil)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) { context.close(promise: nil) }
}
