import Foundation
import Yams

/// The k3s files moor writes, rendered from the lab file, and read back semantically.
public enum K3sFiles {
    public static let header = "# Managed by moor: edits here are replaced on the next `moor up`."

    public static func isManaged(_ text: String) -> Bool {
        text.split(separator: "\n", maxSplits: 1).first.map(String.init) == header
    }

    // MARK: registries.yaml

    /// k3s's `registries.yaml`: each registry's mirror as its endpoint (k3s keeps the
    /// upstream as the fallback by default), and `insecure_skip_verify` per mirror host.
    public static func registries(_ mirrors: [RegistryMirror]) -> String {
        var lines = [header, "mirrors:"]
        if mirrors.isEmpty { lines[1] = "mirrors: {}" }
        for mirror in mirrors {
            lines += ["  \(quote(mirror.registry)):", "    endpoint:", "      - \(quote(mirror.mirror))"]
        }
        // One entry per mirror host: several registries often share one pull-through cache.
        var hosts: [String] = []
        for mirror in mirrors where mirror.skipVerify && !hosts.contains(authority(of: mirror.mirror)) { hosts.append(authority(of: mirror.mirror)) }
        if !hosts.isEmpty {
            lines.append("configs:")
            for host in hosts { lines += ["  \(quote(host)):", "    tls:", "      insecure_skip_verify: true"] }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// One registry's entry as a registries.yaml holds it.
    public struct RegistryEntry: Sendable, Equatable {
        public var endpoints: [String]
        public var skipVerify: Bool
    }

    /// Every registry of a registries.yaml, with its endpoints and whether the first
    /// endpoint's TLS is unverified; nil when the text is not a registries.yaml.
    public static func readRegistries(_ text: String) -> [String: RegistryEntry]? {
        guard let root = (try? Yams.load(yaml: text)) ?? nil else { return [:] }
        guard let document = root as? [String: Any] else { return nil }
        let mirrors = document["mirrors"] as? [String: Any] ?? [:]
        let configs = document["configs"] as? [String: Any] ?? [:]
        var result: [String: RegistryEntry] = [:]
        for (registry, value) in mirrors {
            let endpoints = ((value as? [String: Any])?["endpoint"] as? [Any] ?? []).compactMap { $0 as? String }
            let host = endpoints.first.map(authority(of:)) ?? ""
            let tls = (configs[host] as? [String: Any])?["tls"] as? [String: Any]
            result[registry] = RegistryEntry(endpoints: endpoints, skipVerify: tls?["insecure_skip_verify"] as? Bool ?? false)
        }
        return result
    }

    /// Whether a registries.yaml entry is what the lab file asks for.
    public static func matches(_ entry: RegistryEntry?, _ mirror: RegistryMirror) -> Bool {
        guard let entry else { return false }
        return entry.endpoints.map(trimmed) == [trimmed(mirror.mirror)] && entry.skipVerify == mirror.skipVerify
    }

    /// Whether the hosts.toml k3s rendered for a registry sends pulls to the mirror (k3s
    /// adds `/v2` to an endpoint without a path), with the lab file's TLS verification.
    public static func rendered(_ text: String?, uses mirror: RegistryMirror) -> Bool {
        guard let text, let table = try? TOMLSubset.parse(text), case .table(let hosts)? = table["host"] else { return false }
        return hosts.contains { uri, value in
            guard trimmed(uri) == trimmed(mirror.mirror) else { return false }
            guard case .table(let settings) = value else { return false }
            return (settings["skip_verify"] == .bool(true)) == mirror.skipVerify
        }
    }

    // MARK: config.yaml

    /// What k3s's server configuration says, merged as k3s merges it: config.yaml, then
    /// each `config.yaml.d/*.yaml` in name order; `key+` appends to a list.
    public struct ServerConfig: Sendable, Equatable {
        public var tlsSANs: [String] = []
        public var httpsListenPort: Int?
        public init() {}
    }

    public static func serverConfig(_ files: [(path: String, text: String)]) -> ServerConfig {
        var config = ServerConfig()
        for file in files {
            guard let document = ((try? Yams.load(yaml: file.text)) ?? nil) as? [String: Any] else { continue }
            if let replace = document["tls-san"] { config.tlsSANs = names(replace) }
            if let append = document["tls-san+"] { config.tlsSANs += names(append) }
            if let port = document["https-listen-port"] { config.httpsListenPort = (port as? Int) ?? Int("\(port)") }
        }
        return config
    }

    /// moor's drop-in: the lab file's certificate names (appended to whatever config.yaml
    /// has) and, when the lab file sets one, the API port.
    public static func dropIn(names: [String], port: Int?) -> String {
        var lines = [header]
        if !names.isEmpty { lines += ["tls-san+:"] + names.map { "  - \(quote($0))" } }
        if let port { lines.append("https-listen-port: \(port)") }
        return lines.joined(separator: "\n") + "\n"
    }

    static func names(_ value: Any) -> [String] {
        if let list = value as? [Any] { return list.map { "\($0)" } }
        return "\(value)".split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    }

    // MARK: helpers

    /// `https://registry.ops.eblu.me:5000/v2/` → `registry.ops.eblu.me:5000`.
    public static func authority(of url: String) -> String {
        var rest = Substring(url)
        if let scheme = rest.range(of: "://") { rest = rest[scheme.upperBound...] }
        return String(rest.prefix { $0 != "/" })
    }

    /// A URL without a trailing `/` or the `/v2` k3s adds.
    static func trimmed(_ url: String) -> String {
        var text = url
        while text.hasSuffix("/") { text.removeLast() }
        if text.hasSuffix("/v2") { text.removeLast(3) }
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }

    static func quote(_ text: String) -> String {
        var out = "\""
        for character in text {
            switch character {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            default: out.append(character)
            }
        }
        return out + "\""
    }
}
