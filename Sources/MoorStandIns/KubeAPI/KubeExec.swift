import Foundation
import NIOCore
import NIOHTTP1
import NIOWebSocket

/// `kubectl exec` against the emulator: the WebSocket remote command protocol
/// (`v5.channel.k8s.io`: a binary message a chunk, its first byte the stream: 0 stdin,
/// 1 stdout, 2 stderr, 3 the final Status, 255 a stream closed). A pod listed in
/// `KubeStore.execEnvironment` runs the command on this machine with that environment
/// (the test's real PostgreSQL for a CloudNativePG pod); any other pod is an error.
enum KubeExec {
    static let subprotocol = "v5.channel.k8s.io"

    /// The upgrader for `…/pods/NAME/exec` requests that offer v5.
    static func upgrader(store: KubeStore) -> NIOWebSocketServerUpgrader {
        NIOWebSocketServerUpgrader(maxFrameSize: 1 << 20, shouldUpgrade: { channel, head in
            let offered = head.headers[canonicalForm: "Sec-WebSocket-Protocol"].map(String.init)
            guard head.uri.contains("/exec"), offered.contains(subprotocol) else { return channel.eventLoop.makeSucceededFuture(nil) }
            var headers = HTTPHeaders()
            headers.add(name: "Sec-WebSocket-Protocol", value: subprotocol)
            return channel.eventLoop.makeSucceededFuture(headers)
        }, upgradePipelineHandler: { channel, head in
            channel.pipeline.removeHandler(name: KubeHTTPHandler.name).flatMap {
                channel.pipeline.addHandler(KubeExecHandler(store: store, uri: head.uri))
            }
        })
    }
}

/// One exec: the process started when the WebSocket is up, its output sent as it comes.
final class KubeExecHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    let store: KubeStore
    let uri: String
    var stdin: FileHandle?
    var continuing: UInt8?
    let lock = NSLock()

    init(store: KubeStore, uri: String) {
        self.store = store
        self.uri = uri
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let channel = context.channel
        let request = KubeRequest(method: "GET", uri: uri, contentType: "", body: [])
        let parts = request.path.split(separator: "/").map(String.init)
        // api v1 namespaces NS pods POD exec
        guard parts.count == 7, parts[2] == "namespaces", parts[4] == "pods" else {
            return finish(channel, exit: 1, message: "not an exec path: \(request.path)")
        }
        let pod = "\(parts[3])/\(parts[5])"
        let command = Self.values("command", in: uri)
        guard let environment = store.execEnvironment[pod] else {
            return finish(channel, exit: 1, message: "pod \(pod) runs nothing in this emulator")
        }
        store.recordExec(pod: pod, command: command)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = command
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        do { try process.run() } catch {
            return finish(channel, exit: 126, message: "cannot run \(command.first ?? ""): \(error)")
        }
        lock.withLock { stdin = input.fileHandleForWriting }
        if !Self.values("stdin", in: uri).contains("true") { closeStdin() }
        DispatchQueue.global().async {
            let group = DispatchGroup()
            for (stream, pipe) in [(UInt8(1), output), (2, errors)] {
                group.enter()
                DispatchQueue.global().async {
                    let handle = pipe.fileHandleForReading
                    while true {
                        let chunk = handle.availableData
                        if chunk.isEmpty { break }
                        Self.send(channel, stream, Array(chunk))
                    }
                    group.leave()
                }
            }
            group.wait()
            process.waitUntilExit()
            self.finish(channel, exit: process.terminationStatus, message: nil, command: command)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        var payload = frame.unmaskedData
        var bytes = payload.readBytes(length: payload.readableBytes) ?? []
        switch frame.opcode {
        case .binary, .continuation:
            // A message split into frames keeps its first frame's stream.
            let stream: UInt8
            if frame.opcode == .binary {
                guard let first = bytes.first else { return }
                stream = first
                bytes.removeFirst()
                continuing = frame.fin ? nil : first
            } else {
                guard let current = continuing else { return }
                stream = current
                if frame.fin { continuing = nil }
            }
            if stream == 0 {
                let handle = lock.withLock { stdin }
                handle?.write(Data(bytes))
            } else if stream == 255, bytes.first == 0 {
                closeStdin()
            }
        case .ping:
            context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .pong, data: frame.unmaskedData)), promise: nil)
        case .connectionClose:
            closeStdin()
            context.close(promise: nil)
        default:
            break
        }
    }

    func closeStdin() {
        let handle = lock.withLock { () -> FileHandle? in defer { stdin = nil }; return stdin }
        try? handle?.close()
    }

    static func send(_ channel: any Channel, _ stream: UInt8, _ bytes: [UInt8]) {
        var buffer = channel.allocator.buffer(capacity: bytes.count + 1)
        buffer.writeInteger(stream)
        buffer.writeBytes(bytes)
        channel.writeAndFlush(WebSocketFrame(fin: true, opcode: .binary, data: buffer), promise: nil)
    }

    /// The final Status on stream 3 (as the kubelet words it), then the close.
    func finish(_ channel: any Channel, exit: Int32, message: String?, command: [String] = []) {
        closeStdin()
        let status: [String: Any] = exit == 0 ? ["metadata": [String: Any](), "status": "Success"] : [
            "metadata": [String: Any](), "status": "Failure",
            "message": message ?? "command terminated with non-zero exit code: error executing command [\(command.joined(separator: " "))], exit code \(exit)",
            "reason": "NonZeroExitCode", "details": ["causes": [["reason": "ExitCode", "message": String(exit)]]],
        ]
        let json = (try? JSONSerialization.data(withJSONObject: status)) ?? Data()
        Self.send(channel, 3, Array(json))
        var code = channel.allocator.buffer(capacity: 2)
        code.write(webSocketErrorCode: .normalClosure)
        channel.writeAndFlush(WebSocketFrame(fin: true, opcode: .connectionClose, data: code)).whenComplete { _ in
            channel.close(promise: nil)
        }
    }

    /// Every value of a repeated query parameter, percent-decoded.
    static func values(_ key: String, in uri: String) -> [String] {
        guard let query = uri.split(separator: "?", maxSplits: 1).dropFirst().first else { return [] }
        return query.split(separator: "&").compactMap { pair in
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.first == key else { return nil }
            let value = parts.count > 1 ? parts[1].replacingOccurrences(of: "+", with: " ") : ""
            return value.removingPercentEncoding ?? value
        }
    }
}
