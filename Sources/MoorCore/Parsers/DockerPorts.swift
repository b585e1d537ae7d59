import Foundation

/// `docker port CONTAINER [PORT]` and the host-port `docker container inspect` format.
public enum DockerPorts {
    public struct Binding: Sendable, Equatable {
        public var containerPort: String?
        public var hostIP: String
        public var hostPort: Int

        public init(containerPort: String?, hostIP: String, hostPort: Int) {
            self.containerPort = containerPort
            self.hostIP = hostIP
            self.hostPort = hostPort
        }
    }

    /// Lines are `IP:PORT` (one port asked) or `80/tcp -> IP:PORT` (all ports);
    /// IPv6 addresses are bracketed: `[::]:3456`.
    public static func parse(_ text: String) throws -> [Binding] {
        try text.split(whereSeparator: \.isNewline).compactMap { rawLine in
            let line = rawLine.trimmingSpaces
            guard !line.isEmpty else { return nil }
            var containerPort: String?
            var address = Substring(line)
            if let arrow = line.range(of: " -> ") {
                containerPort = String(line[..<arrow.lowerBound])
                address = line[arrow.upperBound...]
            }
            guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]) else {
                throw ToolOutputError(tool: "docker port", problem: "unexpected line `\(line)`")
            }
            var ip = String(address[..<colon])
            if ip.hasPrefix("["), ip.hasSuffix("]") { ip = String(ip.dropFirst().dropLast()) }
            return Binding(containerPort: containerPort, hostIP: ip, hostPort: port)
        }
    }

    /// The host port to reach a published port on this machine: IPv4 first, as minikube does.
    public static func hostPort(in bindings: [Binding]) -> Int? {
        (bindings.first { !$0.hostIP.contains(":") } ?? bindings.first)?.hostPort
    }

    /// `docker container inspect -f "'{{(index (index .NetworkSettings.Ports "8443/tcp") 0).HostPort}}'"`
    /// prints the port in single quotes.
    public static func parseInspectHostPort(_ text: String) throws -> Int {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines).trimmingCharacters(in: CharacterSet(charactersIn: "'"))
        guard let port = Int(trimmed) else {
            throw ToolOutputError(tool: "docker container inspect", problem: "expected a port, got `\(trimmed)`")
        }
        return port
    }
}
