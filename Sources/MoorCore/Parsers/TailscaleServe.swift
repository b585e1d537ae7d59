import Foundation

/// `tailscale serve status --json` (ipn.ServeConfig). Every field is omitempty, so `{}` is
/// the empty configuration. Port keys are strings.
public struct ServeConfig: Sendable, Equatable, Decodable {
    public struct TCPPortHandler: Sendable, Equatable, Decodable {
        public var HTTPS: Bool?
        public var HTTP: Bool?
        public var TCPForward: String?
        public var TerminateTLS: String?
    }

    public struct ServiceConfig: Sendable, Equatable, Decodable {
        public var TCP: [String: TCPPortHandler]?
        public var Tun: Bool?
    }

    public var TCP: [String: TCPPortHandler]?
    public var Services: [String: ServiceConfig]?

    public init(TCP: [String: TCPPortHandler]? = nil, Services: [String: ServiceConfig]? = nil) {
        self.TCP = TCP
        self.Services = Services
    }

    public static func parse(_ json: String) throws -> ServeConfig {
        let trimmed = json.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty || trimmed == "null" { return ServeConfig() }
        do {
            return try JSONDecoder().decode(ServeConfig.self, from: Data(trimmed.utf8))
        } catch {
            throw ToolOutputError(tool: "tailscale serve status --json", problem: "expected a ServeConfig JSON object")
        }
    }

    /// The handler on `port` of a service (`svc:k8s`), or of the node itself when `service` is nil.
    public func handler(service: String?, port: Int) -> TCPPortHandler? {
        let table: [String: TCPPortHandler]? = if let service { Services?[service]?.TCP } else { TCP }
        return table?[String(port)]
    }

    /// Where a plain TCP forward on that port goes (`localhost:32771`), if one is set.
    public func tcpForward(service: String?, port: Int) -> String? {
        handler(service: service, port: port)?.TCPForward
    }
}

/// The forward target moor sets for an API server host port, and how a current one compares.
public enum ServeTarget {
    public static func desired(hostPort: Int) -> String { "localhost:\(hostPort)" }

    /// `localhost:N` and `127.0.0.1:N` reach the same listener.
    public static func matches(_ current: String?, hostPort: Int) -> Bool {
        guard let current else { return false }
        return current == "localhost:\(hostPort)" || current == "127.0.0.1:\(hostPort)"
    }
}
