import Foundation
import Yams

/// An ArgoCD `Application`, as `kubectl get applications.argoproj.io -o json` returns it.
public struct Application: Sendable, Equatable {
    public struct Source: Sendable, Equatable {
        public var repoURL: String
        public var path: String?
        public var chart: String?
        public var targetRevision: String
        /// Index in `spec.sources`; nil for `spec.source`.
        public var index: Int?

        /// Helm chart sources track chart versions, not branches.
        public var isChart: Bool { chart != nil }
    }

    public struct Condition: Sendable, Equatable {
        public var type: String
        public var message: String

        public init(type: String, message: String) {
            self.type = type
            self.message = message
        }
    }

    public var name: String
    public var namespace: String
    public var sources: [Source]
    public var syncStatus: SyncStatus
    /// `status.sync.revision` (or the first of `revisions` for multi-source apps).
    public var syncedRevision: String?
    public var health: HealthStatus
    public var healthMessage: String?
    public var operationPhase: String?
    public var operationMessage: String?
    public var operationStartedAt: String?
    /// A sync asked for and not yet picked up by the controller.
    public var operationPending: Bool
    public var conditions: [Condition]
    /// The app of apps that manages this one (tracking label or annotation), if any.
    public var parent: String?
    /// `spec.destination.server` (or `.name`, ArgoCD's cluster name), where the app deploys.
    public var destination: String?
    /// The Applications this one manages (an app of apps): its `status.resources` entries of
    /// kind `Application`, as ArgoCD reports them once it has synced.
    public var children: [String] = []

    /// The git sources (not Helm charts) whose revision moor manages.
    public var gitSources: [Source] { sources.filter { !$0.isChart } }

    /// The revision the app tracks: its first git source's, else its first source's.
    public var targetRevision: String { (gitSources.first ?? sources.first)?.targetRevision ?? "" }

    public var isHelmOnly: Bool { !sources.isEmpty && gitSources.isEmpty }

    /// True when every git source tracks `revision` (chart-only apps always are).
    public func isOnTarget(_ revision: String) -> Bool {
        gitSources.allSatisfy { $0.targetRevision == revision || ($0.targetRevision.isEmpty && revision == "HEAD") }
    }

    public static let badConditions: Set<String> = ["ComparisonError", "InvalidSpecError", "SyncError"]
}

/// Reads Applications from kubectl's JSON (a List or one object) or a YAML manifest.
public enum ApplicationParser {
    public struct Invalid: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    public static func parseList(json: String) throws -> [Application] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else {
            throw Invalid(description: "kubectl did not print a JSON object")
        }
        if let items = object["items"] as? [[String: Any]] { return try items.map(application) }
        return [try application(object)]
    }

    public static func parse(yaml: String) throws -> Application {
        guard let object = (try? Yams.load(yaml: yaml)) as? [String: Any] else { throw Invalid(description: "not a YAML mapping") }
        return try application(object)
    }

    static func application(_ object: [String: Any]) throws -> Application {
        let metadata = object["metadata"] as? [String: Any] ?? [:]
        let spec = object["spec"] as? [String: Any] ?? [:]
        let status = object["status"] as? [String: Any] ?? [:]
        var sources: [Application.Source] = []
        if let source = spec["source"] as? [String: Any] { sources.append(Self.source(source, index: nil)) }
        for (index, source) in (spec["sources"] as? [[String: Any]] ?? []).enumerated() { sources.append(Self.source(source, index: index)) }
        let sync = status["sync"] as? [String: Any] ?? [:]
        let health = status["health"] as? [String: Any] ?? [:]
        let operationState = status["operationState"] as? [String: Any] ?? [:]
        let labels = metadata["labels"] as? [String: String] ?? [:]
        let annotations = metadata["annotations"] as? [String: String] ?? [:]
        var parent = labels["app.kubernetes.io/instance"] ?? labels["argocd.argoproj.io/instance"]
        if let tracking = annotations["argocd.argoproj.io/tracking-id"], let colon = tracking.firstIndex(of: ":") {
            parent = String(tracking[..<colon])
        }
        let name = metadata["name"] as? String ?? ""
        let destination = spec["destination"] as? [String: Any]
        var app = Application(
            name: name, namespace: metadata["namespace"] as? String ?? "",
            sources: sources,
            syncStatus: SyncStatus(sync["status"] as? String ?? "Unknown"),
            syncedRevision: sync["revision"] as? String ?? (sync["revisions"] as? [String])?.first,
            health: HealthStatus(health["status"] as? String ?? "Unknown"), healthMessage: health["message"] as? String,
            operationPhase: operationState["phase"] as? String, operationMessage: operationState["message"] as? String,
            operationStartedAt: operationState["startedAt"] as? String,
            operationPending: object["operation"] != nil,
            conditions: (status["conditions"] as? [[String: Any]] ?? []).map {
                Application.Condition(type: $0["type"] as? String ?? "", message: $0["message"] as? String ?? "")
            },
            parent: parent == name ? nil : parent,
            children: (status["resources"] as? [[String: Any]] ?? []).compactMap { resource in
                resource["kind"] as? String == "Application" && (resource["group"] as? String ?? "argoproj.io") == "argoproj.io"
                    ? resource["name"] as? String : nil
            })
        app.destination = destination?["server"] as? String ?? destination?["name"] as? String
        return app
    }

    static func source(_ object: [String: Any], index: Int?) -> Application.Source {
        Application.Source(repoURL: object["repoURL"] as? String ?? "", path: object["path"] as? String,
                           chart: object["chart"] as? String, targetRevision: object["targetRevision"] as? String ?? "", index: index)
    }
}

extension ApplicationParser.Invalid: MoorErrorConvertible {
    public var moorError: MoorError { MoorError(.badOutput, "could not read ArgoCD's Applications: \(description)") }
}
