/// containerd's `/etc/containerd/certs.d/<registry>/hosts.toml` for one registry mirror.
public enum HostsToml {
    public static let certsDirectory = "/etc/containerd/certs.d"

    /// The directory containerd looks up first for `host:port` is `host_port_`... but it
    /// also tries `host:port`; moor writes the plain form users see in docs.
    public static func path(for registry: String) -> String {
        "\(certsDirectory)/\(registry)/hosts.toml"
    }

    static let header = "# Managed by moor: edits here are replaced on the next `moor up`."

    /// The registry a hosts.toml path is for (`…/certs.d/docker.io/hosts.toml` → `docker.io`).
    public static func registry(at path: String) -> String? {
        let prefix = certsDirectory + "/", suffix = "/hosts.toml"
        guard path.hasPrefix(prefix), path.hasSuffix(suffix), path.count > prefix.count + suffix.count else { return nil }
        let registry = String(path.dropFirst(prefix.count).dropLast(suffix.count))
        return registry.contains("/") ? nil : registry
    }

    /// Whether moor wrote this file (its first line is moor's header).
    public static func isManaged(_ text: String) -> Bool {
        text.split(separator: "\n", maxSplits: 1).first.map(String.init) == header
    }

    public static func render(_ mirror: RegistryMirror) -> String {
        var lines = [header,
                     "server = \(string(mirror.server))",
                     "",
                     "[host.\(string(mirror.mirror))]",
                     "  capabilities = [\(mirror.capabilities.map(string).joined(separator: ", "))]"]
        if mirror.skipVerify { lines.append("  skip_verify = true") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The same file, read back semantically: comments, spacing and key order do not matter.
    public static func isEquivalent(_ text: String, to mirror: RegistryMirror) -> Bool {
        guard let current = try? TOMLSubset.parse(text), let wanted = try? TOMLSubset.parse(render(mirror)) else {
            return false
        }
        return current == wanted
    }

    static func string(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
