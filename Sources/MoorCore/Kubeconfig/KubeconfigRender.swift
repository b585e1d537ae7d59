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

/// A kubeconfig in client-go's v1 shape, as Codable types: Yams' encoder does the quoting,
/// so any context name (`@home`, `a: b`) gives valid YAML.
struct KubeconfigV1: Codable, Equatable {
    struct ClusterFields: Codable, Equatable {
        var certificateAuthority: String?
        var certificateAuthorityData: String?
        var server: String
        enum CodingKeys: String, CodingKey {
            case certificateAuthority = "certificate-authority", certificateAuthorityData = "certificate-authority-data", server
        }
    }
    struct UserFields: Codable, Equatable {
        var clientCertificate: String?
        var clientCertificateData: String?
        var clientKey: String?
        var clientKeyData: String?
        enum CodingKeys: String, CodingKey {
            case clientCertificate = "client-certificate", clientCertificateData = "client-certificate-data"
            case clientKey = "client-key", clientKeyData = "client-key-data"
        }
    }
    struct ContextFields: Codable, Equatable {
        var cluster: String
        var user: String
    }
    struct NamedCluster: Codable, Equatable { var cluster: ClusterFields; var name: String }
    struct NamedUser: Codable, Equatable { var name: String; var user: UserFields }
    struct NamedContext: Codable, Equatable { var context: ContextFields; var name: String }

    var apiVersion = "v1"
    var kind = "Config"
    var clusters: [NamedCluster]
    var contexts: [NamedContext]
    var currentContext: String
    var preferences: [String: String] = [:]
    var users: [NamedUser]

    enum CodingKeys: String, CodingKey {
        case apiVersion, kind, clusters, contexts, currentContext = "current-context", preferences, users
    }

    init(_ entry: KubeconfigEntry) {
        func pair(_ material: KubeconfigEntry.Material) -> (String?, String?) {
            switch material {
            case .file(let path): return (path, nil)
            case .data(let bytes): return (nil, Data(bytes).base64EncodedString())
            }
        }
        let (ca, caData) = pair(entry.certificateAuthority)
        let (cert, certData) = pair(entry.clientCertificate)
        let (key, keyData) = pair(entry.clientKey)
        clusters = [NamedCluster(cluster: ClusterFields(certificateAuthority: ca, certificateAuthorityData: caData, server: entry.server), name: entry.name)]
        contexts = [NamedContext(context: ContextFields(cluster: entry.name, user: entry.name), name: entry.name)]
        currentContext = entry.name
        users = [NamedUser(name: entry.name, user: UserFields(clientCertificate: cert, clientCertificateData: certData,
                                                              clientKey: key, clientKeyData: keyData))]
    }
}

/// Writes kubeconfigs in client-go's v1 shape, and merges an entry into an existing one
/// without touching its other clusters, users and contexts.
public enum KubeconfigRender {
    public static func standalone(_ entry: KubeconfigEntry) -> String {
        // Encoding plain strings, optionals and arrays cannot fail.
        (try? YAMLEncoder().encode(KubeconfigV1(entry))) ?? ""
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
}

extension KubeconfigRender.MergeError: MoorErrorConvertible {
    public var moorError: MoorError { MoorError(.refused, description) }
}
