import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL
import NIOTLS

struct ConnectionClosed: Error {}

/// Watches a connection: completes `tls` when the handshake finishes (with the ALPN
/// protocol), fails it on an error or an early close.
final class EventWatcher: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    let tls: EventLoopPromise<String?>

    init(tls: EventLoopPromise<String?>) { self.tls = tls }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case TLSUserEvent.handshakeCompleted(let negotiated) = event { tls.succeed(negotiated) }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        tls.fail(error)
        context.fireErrorCaught(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        tls.fail(ConnectionClosed())
        context.fireChannelInactive()
    }
}

/// What an HTTP exchange returned, with the instants of its phases.
struct CollectedResponse: Sendable {
    var head: HTTPResponseHead
    var body: [UInt8]
    var bodyBytes: Int
    var truncated: Bool
    var firstByte: ContinuousClock.Instant
    var end: ContinuousClock.Instant
}

/// Sends one request and collects the response, keeping at most `limit` body bytes: past
/// that the connection is closed, so a 100 MB body costs 1 MiB of memory.
final class HTTPCollector: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    let limit: Int
    let firstByte: EventLoopPromise<ContinuousClock.Instant>
    let response: EventLoopPromise<CollectedResponse>
    private var head: HTTPResponseHead?
    private var headAt: ContinuousClock.Instant?
    private var body: [UInt8] = []
    private var bodyBytes = 0
    private var done = false
    private var context: ChannelHandlerContext?

    init(limit: Int, firstByte: EventLoopPromise<ContinuousClock.Instant>, response: EventLoopPromise<CollectedResponse>) {
        self.limit = limit
        self.firstByte = firstByte
        self.response = response
    }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }

    func send(_ head: HTTPRequestHead, body: [UInt8]?) {
        guard let context else { return }
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if let body, !body.isEmpty {
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
        }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !done else { return }
        switch unwrapInboundIn(data) {
        case .head(let received):
            head = received
            let now = ContinuousClock.now
            headAt = now
            firstByte.succeed(now)
        case .body(var buffer):
            bodyBytes += buffer.readableBytes
            let room = max(0, limit - body.count)
            if let bytes = buffer.readBytes(length: min(room, buffer.readableBytes)) { body += bytes }
            if bodyBytes > limit {
                finish(truncated: true)
                context.close(promise: nil)
            }
        case .end:
            finish(truncated: false)
        }
    }

    private func finish(truncated: Bool) {
        guard !done, let head, let headAt else { return }
        done = true
        response.succeed(CollectedResponse(head: head, body: body, bodyBytes: bodyBytes, truncated: truncated,
                                           firstByte: headAt, end: .now))
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        firstByte.fail(error)
        response.fail(error)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        firstByte.fail(ConnectionClosed())
        response.fail(ConnectionClosed())
        context.fireChannelInactive()
    }
}

/// Collects the first protocol message of a raw exchange (PostgreSQL: a type byte and a
/// 32-bit length), up to 8 KiB.
final class MessageCollector: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    let message: EventLoopPromise<[UInt8]>
    private var bytes: [UInt8] = []

    init(message: EventLoopPromise<[UInt8]>) { self.message = message }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        bytes += buffer.readBytes(length: min(buffer.readableBytes, 8192 - bytes.count)) ?? []
        if bytes.count >= 5 {
            let length = Int(UInt32(bytes[1]) << 24 | UInt32(bytes[2]) << 16 | UInt32(bytes[3]) << 8 | UInt32(bytes[4]))
            if bytes.count >= 1 + length || bytes.count >= 8192 { message.succeed(bytes) }
        } else if bytes.count == 1, bytes[0] == UInt8(ascii: "N") || bytes[0] == UInt8(ascii: "S") {
            message.succeed(bytes)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        message.fail(error)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if bytes.isEmpty { message.fail(ConnectionClosed()) } else { message.succeed(bytes) }
        context.fireChannelInactive()
    }
}
