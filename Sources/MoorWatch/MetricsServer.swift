import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// Serves `/metrics` (Prometheus' text format) and `/healthz` on one address, and the status
/// page's routes when `watch.page` is on.
public final class MetricsServer: Sendable {
    let channel: any Channel

    /// Binds `host:port` and serves until `close`.
    public static func start(host: String, port: Int, metrics: WatchMetrics, routes: StatusRoutes? = nil,
                             group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) async throws -> MetricsServer {
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.backlog, value: 64)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline().flatMap {
                    channel.pipeline.addHandler(MetricsHandler(metrics: metrics, routes: routes))
                }
            }
            .bind(host: host == "localhost" ? "127.0.0.1" : host, port: port).get()
        return MetricsServer(channel: channel)
    }

    init(channel: any Channel) { self.channel = channel }

    public var port: Int? { channel.localAddress?.port }

    public func close() async {
        try? await channel.close()
    }
}

final class MetricsHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let metrics: WatchMetrics
    let routes: StatusRoutes?
    var head: HTTPRequestHead?

    init(metrics: WatchMetrics, routes: StatusRoutes?) {
        self.metrics = metrics
        self.routes = routes
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let request): head = request
        case .body: break
        case .end:
            guard let request = head else { return }
            head = nil
            respond(to: request, context: context)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) { context.close(promise: nil) }

    func respond(to request: HTTPRequestHead, context: ChannelHandlerContext) {
        let path = request.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? request.uri
        if let routes, StatusRoutes.handles(path) {
            // The page reads the journal: off the event loop, then back to write.
            let method = request.method.rawValue, uri = request.uri
            let loop = context.eventLoop
            let bound = NIOLoopBound(context, eventLoop: loop)
            Task {
                let answer = routes.answer(method: method, uri: uri)
                loop.execute { self.write(answer, for: request, context: bound.value) }
            }
            return
        }
        let (status, type, body): (HTTPResponseStatus, String, String) = switch (request.method, path) {
        case (.GET, "/metrics"), (.HEAD, "/metrics"): (.ok, "text/plain; version=0.0.4; charset=utf-8", metrics.render())
        case (.GET, "/healthz"), (.HEAD, "/healthz"): (.ok, "text/plain; charset=utf-8", "ok\n")
        case (_, "/metrics"), (_, "/healthz"): (.methodNotAllowed, "text/plain; charset=utf-8", "GET only\n")
        default: (.notFound, "text/plain; charset=utf-8", "moor watch serves /metrics and /healthz\(routes == nil ? "" : ", the status page at /")\n")
        }
        write(HTTPAnswer(status: Int(status.code), contentType: type, body: body), for: request, context: context)
    }

    func write(_ answer: HTTPAnswer, for request: HTTPRequestHead, context: ChannelHandlerContext) {
        let status = HTTPResponseStatus(statusCode: answer.status)
        let body = answer.body
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: answer.contentType)
        headers.add(name: "Content-Length", value: "\(body.utf8.count)")
        for (name, value) in answer.headers { headers.add(name: name, value: value) }
        let keepAlive = request.isKeepAlive
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: status, headers: headers))), promise: nil)
        if request.method != .HEAD {
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: body)))), promise: nil)
        }
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
            if !keepAlive { channel.close(promise: nil) }
        }
    }
}
