import Foundation
import Yams

/// A kubeconfig entry (cluster, user and context of one name) for a workstation.
public struct KubeconfigEntry: Sendable, Equatable {
    public enum Material: Sendable, Equatable {
        /// A file reference (`certificate-authority: /path`).
        case file(String)
        /// Embedded (`certificate-authority-data: <base64>`).
        case data([UInt8])
    }

    public var name: String
    public var server: String
    public var certificateAuthority: Material
    public var clientCertificate: Material
    public var clientKey: Material

    public init(name: String, server: String, certificateAuthority: Material, clientCertificate: Material, clientKey: Material) {
        self.name = name
        self.server = server
        self.certificateAuthority = certificateAuthority
        self.clientCertificate = clientCertificate
        self.clientKey = clientKey
    }
}

/// Writes kubeconfigs in client-go's v1 shape, and merges an entry into an existing one
/// without touching its other clusters, users and contexts.
public enum KubeconfigRender {
    public static func standalone(_ entry: KubeconfigEntry) -> String {
        """
        apiVersion: v1
        kind: Config
        clusters:
        - cluster:
            \(field("certificate-authority", entry.certificateAuthority))
            server: \(quote(entry.server))
          name: \(quote(entry.name))
        contexts:
        - context:
            cluster: \(quote(entry.name))
            user: \(quote(entry.name))
          name: \(quote(entry.name))
        current-context: \(quote(entry.name))
        preferences: {}
        users:
        - name: \(quote(entry.name))
          user:
            \(field("client-certificate", entry.clientCertificate))
            \(field("client-key", entry.clientKey))

        """
    }

    public struct MergeError: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// `existing` with the entry's cluster, user and context added or replaced. Refuses text
    /// that is not a kubeconfig rather than guess.
    public static func merge(_ entry: KubeconfigEntry, into existing: String) throws -> String {
        let loaded: Any?
        do { loaded = try Yams.load(yaml: existing) } catch { throw MergeError(description: "it is not valid YAML") }
        var top: [String: Any]
        if loaded == nil || (existing.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty) {
            top = ["apiVersion": "v1", "kind": "Config", "preferences": [String: Any]()]
        } else if let mapping = loaded as? [String: Any], (mapping["kind"] as? String ?? "Config") == "Config" {
            top = mapping
        } else {
            throw MergeError(description: "it is not a kubeconfig (kind: Config)")
        }
        guard let ours = try Yams.load(yaml: standalone(entry)) as? [String: Any] else { throw MergeError(description: "internal") }
        for key in ["clusters", "users", "contexts"] {
            guard let list = top[key] as? [Any] ?? (top[key] == nil || top[key] is NSNull ? [] : nil) else {
                throw MergeError(description: "its `\(key)` is not a list")
            }
            let kept = list.filter { (($0 as? [String: Any])?["name"] as? String) != entry.name }
            top[key] = kept + (ours[key] as? [Any] ?? [])
        }
        if (top["current-context"] as? String ?? "").isEmpty { top["current-context"] = entry.name }
        return try Yams.dump(object: top, sortKeys: true)
    }

    static func field(_ name: String, _ material: KubeconfigEntry.Material) -> String {
        switch material {
        case .file(let path): return "\(name): \(quote(path))"
        case .data(let bytes): return "\(name)-data: \(Data(bytes).base64EncodedString())"
        }
    }

    /// Plain when safe, else a double-quoted YAML string.
    static func quote(_ text: String) -> String {
        let safe = !text.isEmpty && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_./:~@".contains($0)) }
            && !["true", "false", "null", "yes", "no", "~"].contains(text.lowercased()) && Double(text) == nil
        if safe { return text }
        return "\"" + text.replacingAll("\\", with: "\\\\").replacingAll("\"", with: "\\\"") + "\""
    }
}
