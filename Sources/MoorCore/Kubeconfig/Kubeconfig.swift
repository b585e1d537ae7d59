import Foundation
import Yams

/// The parts of a kubeconfig (`apiVersion: v1, kind: Config`) that say how to reach and
/// authenticate to a cluster. Key material stays in memory; it is never logged.
public struct Kubeconfig: Sendable, Equatable {
    public struct Cluster: Sendable, Equatable {
        public var server: String
        public var certificateAuthority: String?
        public var certificateAuthorityData: [UInt8]?
        public var tlsServerName: String?
        public var insecureSkipTLSVerify: Bool
    }

    public struct User: Sendable, Equatable {
        public var clientCertificate: String?
        public var clientCertificateData: [UInt8]?
        public var clientKey: String?
        public var clientKeyData: [UInt8]?
    }

    public struct Context: Sendable, Equatable {
        public var name: String
        public var cluster: String
        public var user: String
    }

    public var clusters: [String: Cluster]
    public var users: [String: User]
    public var contexts: [String: Context]
    public var currentContext: String?

    public struct ParseError: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    public static func parse(_ text: String) throws -> Kubeconfig {
        let root: Any?
        do { root = try Yams.load(yaml: text) } catch { throw ParseError(description: "not valid YAML") }
        guard let top = root as? [String: Any] else { throw ParseError(description: "not a kubeconfig (expected a mapping)") }
        func named(_ key: String, _ inner: String) -> [(String, [String: Any])] {
            (top[key] as? [[String: Any]] ?? []).compactMap { entry in
                guard let name = entry["name"] as? String else { return nil }
                return (name, entry[inner] as? [String: Any] ?? [:])
            }
        }
        func data(_ value: Any?) throws -> [UInt8]? {
            guard let text = value as? String else { return nil }
            guard let decoded = Data(base64Encoded: text.filter { !$0.isWhitespace }) else {
                throw ParseError(description: "a -data field is not base64")
            }
            return [UInt8](decoded)
        }
        var config = Kubeconfig(clusters: [:], users: [:], contexts: [:], currentContext: top["current-context"] as? String)
        for (name, cluster) in named("clusters", "cluster") {
            config.clusters[name] = Cluster(
                server: cluster["server"] as? String ?? "",
                certificateAuthority: cluster["certificate-authority"] as? String,
                certificateAuthorityData: try data(cluster["certificate-authority-data"]),
                tlsServerName: cluster["tls-server-name"] as? String,
                insecureSkipTLSVerify: cluster["insecure-skip-tls-verify"] as? Bool ?? false)
        }
        for (name, user) in named("users", "user") {
            config.users[name] = User(
                clientCertificate: user["client-certificate"] as? String,
                clientCertificateData: try data(user["client-certificate-data"]),
                clientKey: user["client-key"] as? String,
                clientKeyData: try data(user["client-key-data"]))
        }
        for (name, context) in named("contexts", "context") {
            config.contexts[name] = Context(name: name, cluster: context["cluster"] as? String ?? "", user: context["user"] as? String ?? "")
        }
        return config
    }

    /// The cluster and user of a context, or why there are none.
    public func resolve(context name: String) throws -> (cluster: Cluster, user: User?) {
        guard let context = contexts[name] else {
            throw ParseError(description: "no context `\(name)` (contexts: \(contexts.keys.sorted().joined(separator: ", ")))")
        }
        guard let cluster = clusters[context.cluster] else {
            throw ParseError(description: "context `\(name)` names the cluster `\(context.cluster)`, which is not defined")
        }
        return (cluster, users[context.user])
    }
}

extension Kubeconfig.ParseError: MoorErrorConvertible {
    public var moorError: MoorError { MoorError(.unreadable, "the kubeconfig is unusable: \(description)") }
}
