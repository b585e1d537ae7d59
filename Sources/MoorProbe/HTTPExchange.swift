import Foundation
import NIOCore
import NIOHTTP1

/// The HTTP layer of a probe: one request, the first byte and the transfer timed.
extension ProbeSession {
    func exchangeHTTP(_ channel: any Channel, firstByte: EventLoopPromise<ContinuousClock.Instant>,
                      response: EventLoopPromise<CollectedResponse>, clock: inout ContinuousClock.Instant, into result: inout ProbeResult) async {
        var head = HTTPRequestHead(version: .http1_1, method: HTTPMethod(rawValue: request.http.method.uppercased()), uri: target.path)
        let defaultPort = target.kind == .https ? 443 : 80
        head.headers.add(name: "Host", value: target.port == defaultPort ? target.host : "\(target.host):\(target.port)")
        head.headers.add(name: "User-Agent", value: "moor-probe/0.1")
        head.headers.add(name: "Accept", value: "*/*")
        head.headers.add(name: "Connection", value: "close")
        for (name, value) in request.http.headers.sorted(by: { $0.key < $1.key }) { head.headers.replaceOrAdd(name: name, value: value) }
        let body = request.http.body
        if let body { head.headers.replaceOrAdd(name: "Content-Length", value: String(body.count)) }
        let sent = clock
        let request = head
        do {
            do {
                try await channel.eventLoop.submit {
                    try channel.pipeline.syncOperations.handler(type: HTTPCollector.self).send(request, body: body)
                }.get()
            } catch {
                // The connection ended before the request could go (a TLS alert, say): report why.
                _ = try await firstByte.futureResult.get()
            }
            let firstAt = try await Race.first(deadline, onTimeout: { channel.close(promise: nil) }) { try await firstByte.futureResult.get() }
            result.phases.firstByte = (firstAt - sent).inMilliseconds
            let collected = try await Race.first(deadline, onTimeout: { channel.close(promise: nil) }) { try await response.futureResult.get() }
            result.phases.transfer = (collected.end - collected.firstByte).inMilliseconds
            clock = collected.end
            var headers: [String: String] = [:]
            for (name, value) in collected.head.headers { headers[name.lowercased(), default: ""] += headers[name.lowercased()] == nil ? value : ", \(value)" }
            result.http = ProbeResult.HTTP(status: Int(collected.head.status.code), reason: collected.head.status.reasonPhrase,
                                           headers: headers, bodyBytes: collected.bodyBytes, truncated: collected.truncated,
                                           body: String(decoding: collected.body, as: UTF8.self))
        } catch is TimedOut {
            let waiting = result.phases.firstByte == nil ? "the response header" : "the rest of the body"
            result.fail(.http, "timed out after \(deadline.totalText) waiting for \(waiting)")
        } catch {
            result.fail(target.kind == .https ? Diagnosis.layerAfterTLS(error) : .http, Diagnosis.http(error), reason: Diagnosis.reason(error))
        }
    }
}
