import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// A real server on 127.0.0.1 with a chosen behaviour, optionally behind TLS (and asking for
/// a client certificate), for probing in tests: no fakes for the network.
public final class TestServer: @unchecked Sendable {
    public enum Behavior: Sendable {
        /// Answers every request with `status` and `body` after `delay`.
        case http(status: Int, body: String, delay: Duration = .zero)
        /// Accepts TCP and never says a word (nor answers a ClientHello).
        case silent
        /// Writes bytes that are not TLS or HTTP.
        case garbage
        /// Writes one byte of a response every `interval`.
        case drip(interval: Duration)
        /// Announces and streams a body of `bytes` bytes.
        case hugeBody(bytes: Int)
        /// Sends a header line that never ends.
        case endlessHeader
        /// Answers a PostgreSQL startup message with these bytes.
        case raw([UInt8])
    }

    public let port: Int
    private let channel: any Channel
    private let accepted: Counter

    private init(port: Int, channel: any Channel, accepted: Counter) {
        self.port = port
        self.channel = channel
        self.accepted = accepted
    }

    /// How many connections it accepted so far.
    public var connections: Int { accepted.value }

    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        var value: Int { lock.withLock { count } }
        func add() { lock.withLock { count += 1 } }
    }

    /// `alpn`: the protocols the TLS server negotiates (none by default).
    public static func start(_ behavior: Behavior, tls: TestIdentity? = nil, clientCA: TestIdentity? = nil, alpn: [String] = []) async throws -> TestServer {
        var sslContext: NIOSSLContext?
        if let tls {
            var configuration = TLSConfiguration.makeServerConfiguration(
                certificateChain: [.certificate(try NIOSSLCertificate(bytes: Array(tls.certificatePEM.utf8), format: .pem))],
                privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(tls.keyPEM.utf8), format: .pem)))
            configuration.applicationProtocols = alpn
            if let clientCA {
                configuration.certificateVerification = .noHostnameVerification
                configuration.trustRoots = .certificates([try NIOSSLCertificate(bytes: Array(clientCA.certificatePEM.utf8), format: .pem)])
            }
            sslContext = try NIOSSLContext(configuration: configuration)
        }
        let context = sslContext
        let accepted = Counter()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { child in
                accepted.add()
                return child.eventLoop.makeCompletedFuture {
                    if let context { try child.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context)) }
                    try child.pipeline.syncOperations.addHandler(BehaviorHandler(behavior))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return TestServer(port: channel.localAddress?.port ?? 0, channel: channel, accepted: accepted)
    }

    public func stop() async {
        try? await channel.close().get()
    }

    // No close in deinit: a test's last use of its server is often before the traffic it
    // expects (a port captured in a lab file), and an optimized build may free it right
    // then. A server lives until `stop()` or the end of the test process.
}

final class BehaviorHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let behavior: TestServer.Behavior
    var request: [UInt8] = []
    var answered = false
    var drip: RepeatedTask?

    init(_ behavior: TestServer.Behavior) { self.behavior = behavior }

    func channelActive(context: ChannelHandlerContext) {
        switch behavior {
        case .garbage:
            context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(string: "SSH-2.0-OpenSSH_9.2 not tls at all\r\n")), promise: nil)
        default:
            break
        }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        request += buffer.readBytes(length: buffer.readableBytes) ?? []
        guard !answered else { return }
        switch behavior {
        case .silent, .garbage:
            return
        case .raw(let bytes):
            answered = true
            context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(bytes: bytes)), promise: nil)
            return
        default:
            guard request.count >= 4, request.suffix(4) == Array("\r\n\r\n".utf8) || String(decoding: request, as: UTF8.self).contains("\r\n\r\n") else { return }
        }
        answered = true
        let loop = context.eventLoop
        let channel = context.channel
        switch behavior {
        case .http(let status, let body, let delay):
            let response = "HTTP/1.1 \(status) Test\r\nContent-Length: \(body.utf8.count)\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n\(body)"
            let send: @Sendable () -> Void = { channel.writeAndFlush(channel.allocator.buffer(string: response)).whenComplete { _ in channel.close(promise: nil) } }
            if delay == .zero { send() } else {
                loop.scheduleTask(in: .nanoseconds(Int64(delay.components.seconds) * 1_000_000_000 + delay.components.attoseconds / 1_000_000_000)) { send() }
            }
        case .drip(let interval):
            let text = Array("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".utf8)
            let index = DripIndex()
            let amount = TimeAmount.nanoseconds(Int64(interval.components.seconds) * 1_000_000_000 + interval.components.attoseconds / 1_000_000_000)
            drip = loop.scheduleRepeatedTask(initialDelay: amount, delay: amount) { task in
                guard index.value < text.count, channel.isActive else { task.cancel(); return }
                channel.writeAndFlush(channel.allocator.buffer(bytes: [text[index.value]]), promise: nil)
                index.value += 1
            }
        case .hugeBody(let bytes):
            channel.writeAndFlush(channel.allocator.buffer(string: "HTTP/1.1 200 OK\r\nContent-Length: \(bytes)\r\n\r\n"), promise: nil)
            Self.stream(channel, remaining: bytes, chunk: channel.allocator.buffer(repeating: UInt8(ascii: "x"), count: 65_536))
        case .endlessHeader:
            channel.writeAndFlush(channel.allocator.buffer(string: "HTTP/1.1 200 OK\r\nX-Endless: "), promise: nil)
            Self.stream(channel, remaining: Int.max, chunk: channel.allocator.buffer(repeating: UInt8(ascii: "a"), count: 16_384))
        case .silent, .garbage, .raw:
            break
        }
    }

    /// Writes `chunk` again and again until `remaining` bytes are out or the peer hangs up.
    static func stream(_ channel: any Channel, remaining: Int, chunk: ByteBuffer) {
        guard remaining > 0, channel.isActive else { return }
        var piece = chunk
        if remaining < piece.readableBytes { piece = piece.getSlice(at: piece.readerIndex, length: remaining)! }
        let count = piece.readableBytes
        channel.writeAndFlush(piece).whenComplete { result in
            if case .success = result { stream(channel, remaining: remaining - count, chunk: chunk) }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        drip?.cancel()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

/// The drip's position; only its event loop touches it.
final class DripIndex: @unchecked Sendable {
    var value = 0
}
