import Foundation
/// Where k3s keeps what moor reads and writes on its host (upstream's defaults).
public enum K3sPaths {
    public static let etc = "/etc/rancher/k3s"
    public static let config = etc + "/config.yaml"
    public static let configDropIns = etc + "/config.yaml.d"
    /// moor's own drop-in: k3s merges `config.yaml.d/*.yaml` after config.yaml, so the
    /// user's config.yaml is never rewritten.
    public static let moorConfig = configDropIns + "/50-moor.yaml"
    public static let registries = etc + "/registries.yaml"
    public static let kubeconfig = etc + "/k3s.yaml"
    /// Where k3s renders each registry's hosts.toml from registries.yaml at start.
    public static let renderedCerts = "/var/lib/rancher/k3s/agent/etc/containerd/certs.d"
    public static let servingCertificate = "/var/lib/rancher/k3s/server/tls/serving-kube-apiserver.crt"
    public static let defaultPort = 6443

    public static func renderedHostsToml(for registry: String) -> String { "\(renderedCerts)/\(registry)/hosts.toml" }

    /// The files the one observation reads: globs are expanded on the host.
    public static let observed = [config, configDropIns + "/*.yaml", registries, renderedCerts + "/*/hosts.toml", servingCertificate]
}

/// One file as the k3s host has it: its text, and whether another tool owns it (a symlink
/// into `/nix/store`, or a file that cannot be written).
public struct HostFile: Sendable, Equatable {
    public var text: String
    /// Where a symlink points (resolved), nil for a plain file.
    public var linkTarget: String?
    public var writable: Bool

    public init(text: String, linkTarget: String? = nil, writable: Bool = true) {
        self.text = text
        self.linkTarget = linkTarget
        self.writable = writable
    }

    /// Another configuration manager owns it: moor reports it and never writes it.
    public var ownerElsewhere: String? {
        if let target = linkTarget, target.hasPrefix("/nix/store/") { return "Nix (a symlink into \(target))" }
        if !writable { return "not writable by moor (read-only)" }
        return nil
    }
}

/// What one observation of a k3s host found.
public struct K3sHostState: Sendable, Equatable {
    /// `v1.33.4+k3s1`; nil when k3s is not installed.
    public var version: String?
    /// `systemctl is-active k3s`: active, inactive, failed, activating…
    public var unit: String
    public var files: [String: HostFile]

    public init(version: String?, unit: String, files: [String: HostFile]) {
        self.version = version
        self.unit = unit
        self.files = files
    }

    public var installed: Bool { version != nil }
    public var active: Bool { unit == "active" }

    /// The output of the observation script: sections headed `==> NAME <==`, a file's
    /// header being `==> PATH file|link TARGET [readonly] <==`.
    public static func parse(_ output: String) throws -> K3sHostState {
        var sections: [(header: String, lines: [Substring])] = []
        for line in output.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("==> "), line.hasSuffix(" <=="), line.count >= 8 {
                sections.append((String(line.dropFirst(4).dropLast(4)), []))
            } else if !sections.isEmpty {
                sections[sections.count - 1].lines.append(line)
            }
        }
        func text(_ lines: [Substring]) -> String {
            var lines = lines
            if lines.last == "" { lines.removeLast() }
            return lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
        }
        guard let versionSection = sections.first(where: { $0.header == "version" }),
              let unitSection = sections.first(where: { $0.header == "active" }) else {
            throw ToolOutputError(tool: "the k3s observation", problem: "expected version and active sections")
        }
        var state = K3sHostState(version: K3sVersion.parse(text(versionSection.lines)),
                                 unit: unitSection.lines.first.map { String($0).trimmingCharacters(in: .whitespaces) } ?? "unknown", files: [:])
        for section in sections where section.header != "version" && section.header != "active" {
            let words = section.header.split(separator: " ").map(String.init)
            guard words.count >= 2 else { continue }
            var file = HostFile(text: text(section.lines))
            if words[1] == "link", words.count >= 3 { file.linkTarget = words[2] }
            file.writable = !words.contains("readonly")
            state.files[words[0]] = file
        }
        return state
    }
}

/// `k3s --version`: `k3s version v1.33.4+k3s1 (148243c4)` then `go version go1.24.5`.
public enum K3sVersion {
    public static func parse(_ text: String) -> String? {
        guard let line = text.split(separator: "\n").first, line.hasPrefix("k3s version ") else { return nil }
        return line.split(separator: " ").dropFirst(2).first.map(String.init)
    }
}

/// `kubectl get nodes -o json`: whether every node (there is at least one) is Ready.
public enum NodeReadiness {
    public static func allReady(_ json: String) -> Bool {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any],
              let items = object["items"] as? [[String: Any]], !items.isEmpty else { return false }
        return items.allSatisfy { node in
            let conditions = (node["status"] as? [String: Any])?["conditions"] as? [[String: Any]] ?? []
            return conditions.contains { $0["type"] as? String == "Ready" && $0["status"] as? String == "True" }
        }
    }
}
