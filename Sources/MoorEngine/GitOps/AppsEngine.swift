import Foundation
import MoorCore
import MoorJournal
import MoorSystem

/// ArgoCD Applications through kubectl: list, retarget (and back), sync and wait.
public struct AppsEngine: Sendable {
    public enum Selection: Sendable, Equatable {
        /// The lab file's `gitops.argocd.apps`.
        case lab
        case all
        case names([String])
    }

    public struct Row: Sendable, Equatable, Encodable {
        public var name: String
        public var sync: SyncStatus
        public var health: HealthStatus
        public var targetRevision: String
        public var syncedRevision: String?
        public var onTarget: Bool
        public var parent: String?
        /// Where it deploys: moor's name of the cluster when it is one of the lab's, else
        /// `destination.server` as the Application says it.
        public var cluster: String?

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(name, forKey: .name)
            try container.encode(sync.description, forKey: .sync)
            try container.encode(health.description, forKey: .health)
            try container.encode(targetRevision, forKey: .targetRevision)
            try container.encode(syncedRevision, forKey: .syncedRevision)
            try container.encode(onTarget, forKey: .onTarget)
            try container.encode(parent, forKey: .parent)
            try container.encode(cluster, forKey: .cluster)
        }
        enum CodingKeys: String, CodingKey { case name, sync, health, targetRevision, syncedRevision, onTarget, parent, cluster }
    }

    let lab: LabFile
    let labPath: String
    let context: MoorContext
    public let spec: GitOpsSpec
    /// Time between polls while waiting.
    public var pollInterval: Duration = .seconds(2)

    public init(lab: LabFile, labPath: String, context: MoorContext) throws {
        guard let spec = lab.gitops else {
            throw MoorError(.invalidInput, "\(labPath) has no `gitops.argocd` section; add one to use `moor apps`")
        }
        self.lab = lab
        self.labPath = labPath
        self.context = context
        self.spec = spec
    }

    /// The lab's kubectl context (`LabFile.kubectlContext`); never kubectl's current one.
    public var kubeContext: String { get throws { try lab.requiredKubectlContext() } }

    public func applications() async throws -> [Application] {
        let output = try await KubectlRun.output(KubectlGitOps.listApplications(context: kubeContext, namespace: spec.namespace),
                                                 runner: context.runner, context: kubeContext)
        do { return try ApplicationParser.parseList(json: output) } catch let error as ApplicationParser.Invalid {
            throw ToolOutputError(tool: "kubectl get applications.argoproj.io", problem: error.description)
        }
    }

    public func rows(_ apps: [Application]) -> [Row] {
        apps.map { app in
            Row(name: app.name, sync: app.syncStatus, health: app.health, targetRevision: app.targetRevision,
                syncedRevision: app.syncedRevision.map { SyncProgress.short($0) }, onTarget: app.isOnTarget(spec.revision),
                parent: app.parent, cluster: destinationCluster(app.destination))
        }
    }

    /// moor's name for an app's destination: ArgoCD's own cluster (`in-cluster`,
    /// kubernetes.default.svc) is the cluster ArgoCD runs in; another is the lab cluster
    /// whose server URL it names.
    func destinationCluster(_ destination: String?) -> String? {
        guard let destination else { return nil }
        if destination == "https://kubernetes.default.svc" || destination == "in-cluster" { return lab.primaryCluster?.id ?? destination }
        return lab.clusters.first { lab.serverURL(of: $0) == destination || $0.id == destination }?.id ?? destination
    }

    func select(_ selection: Selection, from apps: [Application]) throws -> [Application] {
        let names: [String]
        switch selection {
        case .all: return apps
        case .lab: names = spec.apps.isEmpty ? apps.map(\.name) : spec.apps
        case .names(let given): names = given
        }
        let missing = names.filter { name in !apps.contains { $0.name == name } }
        if !missing.isEmpty {
            throw MoorError(.notFound, "no Application \(missing.map { "`\($0)`" }.joined(separator: ", ")) in namespace \(spec.namespace) (there are: \(apps.map(\.name).sorted().joined(separator: ", ")))")
        }
        return names.compactMap { name in apps.first { $0.name == name } }
    }
}
