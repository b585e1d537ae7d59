/// What to probe: `https://host[:port]/path`, `http://…`, `tls://host:port`,
/// `postgres://host:port`, `tcp://host:port` or a bare `host:port` (TCP).
public struct ProbeTarget: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Codable { case tcp, tls, http, https, postgres }

    public var kind: Kind
    public var host: String
    public var port: Int
    /// Path and query for HTTP(S), `/` by default.
    public var path: String

    public init(kind: Kind, host: String, port: Int, path: String = "/") {
        self.kind = kind
        self.host = host
        self.port = port
        self.path = path
    }

    public var description: String {
        let hostPart = host.contains(":") ? "[\(host)]" : host
        switch kind {
        case .http, .https: return "\(kind.rawValue)://\(hostPart):\(port)\(path)"
        case .tcp: return "\(hostPart):\(port)"
        default: return "\(kind.rawValue)://\(hostPart):\(port)"
        }
    }

    public var speaksTLS: Bool { kind == .tls || kind == .https }

    public static func parse(_ text: String) -> ProbeTarget? {
        var kind = Kind.tcp
        var rest = Substring(text)
        if let scheme = rest.range(of: "://") {
            guard let parsed = Kind(rawValue: rest[..<scheme.lowerBound].lowercased()) else { return nil }
            kind = parsed
            rest = rest[scheme.upperBound...]
        }
        var path = "/"
        if let slash = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) {
            guard kind == .http || kind == .https else { return nil }
            path = rest[slash] == "?" ? "/" + rest[slash...] : String(rest[slash...])
            rest = rest[..<slash]
        }
        var host: Substring
        var portText: Substring?
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { return nil }
            host = rest[rest.index(after: rest.startIndex)..<close]
            let after = rest[rest.index(after: close)...]
            if after.hasPrefix(":") { portText = after.dropFirst() } else if !after.isEmpty { return nil }
        } else if let colon = rest.lastIndex(of: ":") {
            host = rest[..<colon]
            portText = rest[rest.index(after: colon)...]
        } else {
            host = rest
        }
        guard !host.isEmpty, !host.contains(where: { $0 == " " || $0 == "@" }) else { return nil }
        let port: Int
        if let portText {
            guard let value = Int(portText), (1...65535).contains(value) else { return nil }
            port = value
        } else {
            switch kind {
            case .http: port = 80
            case .https: port = 443
            case .postgres: port = 5432
            case .tcp, .tls: return nil
            }
        }
        return ProbeTarget(kind: kind, host: String(host), port: port, path: path)
    }
}

/// TLS settings of a probe. PEM bytes, not paths: the caller reads files or kubeconfig data.
public struct TLSOptions: Sendable, Equatable {
    public var caPEM: [UInt8]?
    public var certificatePEM: [UInt8]?
    public var keyPEM: [UInt8]?
    public var serverName: String?
    /// Skip verification but still report the chain.
    public var insecure: Bool
    /// Where the CA, certificate and key came from (file paths, a kubeconfig context), for
    /// setup errors.
    public var caSource: String?
    public var certificateSource: String?
    public var keySource: String?

    public init(caPEM: [UInt8]? = nil, certificatePEM: [UInt8]? = nil, keyPEM: [UInt8]? = nil, serverName: String? = nil, insecure: Bool = false) {
        self.caPEM = caPEM
        self.certificatePEM = certificatePEM
        self.keyPEM = keyPEM
        self.serverName = serverName
        self.insecure = insecure
    }
}

public struct HTTPOptions: Sendable, Equatable {
    public var method: String
    public var headers: [String: String]
    public var body: [UInt8]?
    /// Bytes of body kept; a longer body is cut off there and the connection closed.
    public var bodyLimit: Int

    public init(method: String = "GET", headers: [String: String] = [:], body: [UInt8]? = nil, bodyLimit: Int = 1 << 20) {
        self.method = method
        self.headers = headers
        self.body = body
        self.bodyLimit = bodyLimit
    }
}

public struct ProbeRequest: Sendable, Equatable {
    public var target: ProbeTarget
    public var timeout: Duration
    public var tls: TLSOptions
    public var http: HTTPOptions

    public init(target: ProbeTarget, timeout: Duration = .seconds(5), tls: TLSOptions = TLSOptions(), http: HTTPOptions = HTTPOptions()) {
        self.target = target
        self.timeout = timeout
        self.tls = tls
        self.http = http
    }
}
