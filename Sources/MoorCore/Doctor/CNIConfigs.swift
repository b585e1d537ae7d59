/// `/etc/cni/net.d` in the node: the listing and the content of each active config, as one
/// command prints them (`ls -la`, then `==> NAME <==` and the file for each config).
public struct CNIConfigs: Sendable, Equatable {
    public var listing: [String]
    /// Config files by name (`.conf`, `.conflist`, `.json`; not `.mk_disabled`).
    public var active: [String: String]

    public static let kindnet = "10-kindnet.conflist"

    public static func parse(_ output: String) -> CNIConfigs {
        var listing: [String] = []
        var active: [String: String] = [:]
        var current: String?
        for line in output.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("==> "), line.hasSuffix(" <=="), line.count > 8 {
                current = String(line.dropFirst(4).dropLast(4))
                active[current!] = ""
            } else if let name = current {
                active[name, default: ""] += line + "\n"
            } else if !line.isEmpty {
                listing.append(String(line))
            }
        }
        return CNIConfigs(listing: listing, active: active)
    }

    /// The configs the runtime would pick before kindnet's: it uses the lexically first.
    public var shadowingKindnet: [String] {
        guard active[Self.kindnet] != nil else { return [] }
        return active.keys.filter { $0 < Self.kindnet }.sorted()
    }

    /// The `type` of each plugin of a config (`bridge`, `portmap`, `firewall`).
    public static func pluginTypes(_ text: String) -> [String] {
        guard let value = JSONValue.parse(text), case .array(let plugins, _)? = value["plugins"] else {
            return JSONValue.parse(text)?["type"]?.text.map { [$0] } ?? []
        }
        return plugins.compactMap { $0["type"]?.text }
    }

    public func verdict() -> DiagnosisResult {
        let id = "cni-conflict"
        let evidence = ["ls -la /etc/cni/net.d:"] + listing.map { "  " + $0 }
        guard active[Self.kindnet] != nil else {
            let names = active.keys.sorted()
            return DiagnosisResult(id: id, verdict: .ok, summary: names.isEmpty ? "no active CNI config" : "one CNI in use: \(names[0]) (no kindnet config to shadow)",
                                   evidence: evidence)
        }
        let stale = shadowingKindnet
        guard !stale.isEmpty else {
            return DiagnosisResult(id: id, verdict: .ok, summary: "kindnet's \(Self.kindnet) is the first active config", evidence: evidence)
        }
        let described = stale.map { "\($0) (\(Self.pluginTypes(active[$0] ?? "").joined(separator: "+")))" }
        return DiagnosisResult(
            id: id, verdict: .fail,
            summary: "\(described.joined(separator: ", ")) sorts before \(Self.kindnet): new pods get that network and cannot reach CoreDNS while old ones look healthy",
            evidence: evidence,
            fix: .init(text: "move \(stale.joined(separator: ", ")) aside as <name>.mk_disabled, then `kubectl rollout restart` every Deployment (DaemonSets and StatefulSets are listed, not restarted)", safe: true))
    }
}
