import Foundation
import MoorCore
import MoorProbe

/// Publishes to ntfy as JSON (`POST` to the server's root URL), through moor's own HTTP
/// prober: the request goes out only once TLS verified, so the token never reaches a server
/// that is not the one named.
public struct NtfySink: AlertSink {
    let url: String
    let topic: String
    let priority: Int?
    /// The token, resolved at the first send (at login, `op` may not be unlocked yet) and
    /// then held in memory only; never logged.
    let token: TokenSource?
    let prober: any Prober

    public init(spec: WatchSpec.Ntfy, token: TokenSource?, prober: any Prober) {
        url = spec.url
        topic = spec.topic
        priority = spec.priority
        self.token = token
        self.prober = prober
    }

    public struct Refused: Error, CustomStringConvertible {
        public var description: String
    }

    public func send(_ message: AlertMessage) async throws {
        guard let target = ProbeTarget.parse(url) else { throw Refused(description: "ntfy url \(url) is not a URL") }
        let body = try JSONEncoder().encode(NtfyPublish(topic: topic, priority: priority, message: message))
        var headers = ["Content-Type": "application/json"]
        if let token {
            let value = try await token.value()
            if !value.isEmpty { headers["Authorization"] = "Bearer \(value)" }
        }
        let request = ProbeRequest(target: target, timeout: .seconds(10),
                                   http: HTTPOptions(method: "POST", headers: headers, body: Array(body), bodyLimit: 4096))
        let result = await prober.probe(request)
        if let failure = result.failure { throw Refused(description: failure.message) }
        guard let status = result.http?.status, (200..<300).contains(status) else {
            throw Refused(description: "ntfy answered \(result.http.map { "\($0.status) \($0.reason)" } ?? "nothing")")
        }
    }
}

/// A secret resolved once, when first needed; a failure is retried at the next need.
public actor TokenSource {
    let resolve: @Sendable () async throws -> String
    var cached: String?

    public init(resolve: @escaping @Sendable () async throws -> String) { self.resolve = resolve }

    func value() async throws -> String {
        if let cached { return cached }
        let value = try await resolve()
        cached = value
        return value
    }
}

extension NtfySink.Refused: MoorErrorConvertible {
    public var moorError: MoorError { MoorError(.refused, description) }
}
