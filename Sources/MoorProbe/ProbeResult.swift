import Foundation

/// Everything a probe learnt, layer by layer. `failure` names the first layer that broke.
public struct ProbeResult: Sendable, Equatable, Encodable {
    /// `setup`: the probe could not start (an unreadable or invalid client certificate, key
    /// or CA, no trust store); no layer was reached.
    public enum Layer: String, Sendable, Codable { case setup, dns, tcp, tls, http, postgres }

    public struct Failure: Sendable, Equatable, Encodable {
        /// Causes callers act on, so they never read `message`.
        public enum Reason: String, Sendable {
            case clientCertificateRequired
        }

        public var layer: Layer
        /// One line: `tls: certificate expired 3 days ago`.
        public var message: String
        public var reason: Reason?

        enum CodingKeys: String, CodingKey { case layer, message }
    }

    /// Milliseconds per phase, named as blackbox_exporter names them where they overlap.
    public struct Phases: Sendable, Equatable, Encodable {
        public var resolve: Double?
        public var connect: Double?
        public var tls: Double?
        public var firstByte: Double?
        public var transfer: Double?

        public init() {}

        enum CodingKeys: String, CodingKey { case resolve, connect, tls, firstByte, transfer }

        /// All five names, null for a phase that did not happen.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(resolve, forKey: .resolve)
            try container.encode(connect, forKey: .connect)
            try container.encode(tls, forKey: .tls)
            try container.encode(firstByte, forKey: .firstByte)
            try container.encode(transfer, forKey: .transfer)
        }
    }

    public struct Certificate: Sendable, Equatable, Encodable {
        public var subject: String
        public var issuer: String
        public var sans: [String]
        public var notBefore: Date
        public var notAfter: Date
        /// The first certificate in the chain to expire.
        public var earliestExpiry: Date
        public var serverName: String
        public var nameMatches: Bool
        public var verified: Bool
        /// Why verification failed, when it did.
        public var verifyError: String?
        public var tlsVersion: String?
        public var alpn: String?
        public var chainLength: Int
        /// Which roots the chain was verified against: the given CA file, or the system's
        /// (the macOS keychain's anchors, or the bundle file read on Linux).
        public var trust: String = ""
    }

    public struct HTTP: Sendable, Equatable, Encodable {
        public var status: Int
        public var reason: String
        public var headers: [String: String]
        public var bodyBytes: Int
        public var truncated: Bool
        /// The body as text, at most `bodyLimit` bytes (not encoded in JSON output).
        public var body: String

        enum CodingKeys: String, CodingKey { case status, reason, headers, bodyBytes, truncated }
    }

    public var target: String
    public var ip: String?
    public var connected = false
    public var failure: Failure?
    public var phases = Phases()
    public var durationMs: Double = 0
    public var certificate: Certificate?
    public var http: HTTP?
    /// `accepting`, `rejecting` or `no response`.
    public var postgres: String?

    public init(target: String) { self.target = target }

    public var ok: Bool { failure == nil }

    mutating func fail(_ layer: Layer, _ message: String, reason: Failure.Reason? = nil) {
        if failure == nil { failure = Failure(layer: layer, message: "\(layer.rawValue): \(message)", reason: reason) }
    }
}
