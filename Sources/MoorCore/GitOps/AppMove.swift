import Foundation

/// One app's move between clusters as the journal keeps it (the migration row's snapshot):
/// where it deployed, what ArgoCD managed for it there, its sync policy to put back, and the
/// backup its data travels in.
public struct AppMove: Sendable, Equatable, Codable {
    /// A resource ArgoCD reported for the app (`status.resources`), removed from the source last.
    public struct Resource: Sendable, Equatable, Codable {
        public var group: String
        public var kind: String
        public var namespace: String?
        public var name: String

        public init(group: String, kind: String, namespace: String?, name: String) {
            self.group = group
            self.kind = kind
            self.namespace = namespace
            self.name = name
        }

        /// `deployments.apps` style, for `kubectl delete`.
        public var kubectlType: String { group.isEmpty ? kind.lowercased() : "\(kind.lowercased()).\(group)" }
    }

    public var app: String
    /// moor's names of the clusters.
    public var from: String
    public var to: String
    /// `spec.destination` before the move (server or ArgoCD's cluster name) and after.
    public var fromServer: String
    public var toServer: String
    public var namespace: String
    /// `spec.syncPolicy` before the move, as JSON (nil: none), restored when sync resumes.
    public var syncPolicy: String?
    public var resources: [Resource]
    public var backup: String?

    public init(app: String, from: String, to: String, fromServer: String, toServer: String, namespace: String, syncPolicy: String?,
                resources: [Resource], backup: String? = nil) {
        self.app = app
        self.from = from
        self.to = to
        self.fromServer = fromServer
        self.toServer = toServer
        self.namespace = namespace
        self.syncPolicy = syncPolicy
        self.resources = resources
        self.backup = backup
    }

    /// What a move needs of an Application's JSON (`kubectl get applications.argoproj.io NAME -o json`).
    public struct Source: Sendable, Equatable {
        public var name: String
        /// `spec.destination.server`, else `spec.destination.name`.
        public var destination: String
        public var namespace: String
        public var syncPolicy: String?
        public var resources: [Resource]

        public static func parse(_ json: String) throws -> Source {
            guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any],
                  let metadata = object["metadata"] as? [String: Any], let name = metadata["name"] as? String else {
                throw ToolOutputError(tool: "kubectl get applications.argoproj.io -o json", problem: "expected one Application")
            }
            let spec = object["spec"] as? [String: Any] ?? [:]
            let destination = spec["destination"] as? [String: Any] ?? [:]
            guard let target = (destination["server"] as? String) ?? (destination["name"] as? String), let namespace = destination["namespace"] as? String else {
                throw ToolOutputError(tool: "kubectl get applications.argoproj.io \(name)", problem: "spec.destination has no server (or name) and namespace")
            }
            let policy = (spec["syncPolicy"] as? [String: Any]).flatMap { try? JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys]) }
                .map { String(decoding: $0, as: UTF8.self) }
            let entries = (object["status"] as? [String: Any])?["resources"] as? [[String: Any]] ?? []
            let resources = entries.compactMap { entry -> Resource? in
                guard let kind = entry["kind"] as? String, let name = entry["name"] as? String else { return nil }
                return Resource(group: entry["group"] as? String ?? "", kind: kind, namespace: entry["namespace"] as? String, name: name)
            }
            return Source(name: name, destination: target, namespace: namespace, syncPolicy: policy, resources: resources)
        }
    }
}
