import Foundation
import MoorCore
import MoorSystem

/// `argocdcluster:<name>`: another cluster of the lab made an ArgoCD cluster, so apps can
/// name it in `destination.server`. Its credentials come from the cluster's provider (for
/// k3s, k3s.yaml over ssh) and go to `kubectl apply` on stdin; the Secret is reapplied when
/// their digest changes (new certificates, a new server URL).
struct ArgoClusterKind: ResourceKind {
    let spec: GitOpsSpec
    let target: ClusterSpec
    let server: String
    let kubeContext: String
    let lab: LabFile
    var kind: String { "argocdcluster" }
    var needs: [String] { ["argocd", "cluster"] }

    var id: ResourceID { .argocdCluster(target.id) }

    struct Observed: Sendable {
        /// The digest the Secret carries: nil no Secret; .some(nil) a Secret moor did not make.
        var current: String??
        var digest: String
        var config: String
    }

    func observe(_ session: ObservationSession) async throws -> Observed {
        let credentials = try await ClusterProviders.provider(for: target).credentials(session.hosts, home: session.context.home)
        let config = ArgoClusterSecret.config(ca: credentials.ca, certificate: credentials.certificate, key: credentials.key)
        let digest = Digest.sha256(Array("\(target.id)\n\(server)\n\(config)".utf8))
        let command = Command("kubectl", KubectlGitOps.base(kubeContext) + ["-n", spec.namespace, "get", "secret",
                              ArgoClusterSecret.name(for: target.id), "--ignore-not-found", "-o", "json"], timeout: .seconds(60))
        let output = try await KubectlRun.output(command, runner: session.context.runner, context: kubeContext)
        return Observed(current: try ArgoClusterSecret.observedDigest(output), digest: digest, config: config)
    }

    func diff(_ observed: Observed, upstream: UpstreamChanges) -> KindPlan {
        var plan = KindPlan()
        switch observed.current {
        case .none:
            plan.changes.append(Change(id, action: .create, summary: "make \(target.id) an ArgoCD cluster (Secret \(ArgoClusterSecret.name(for: target.id)), server \(server))",
                                       fields: ["server": FieldChange(from: nil, to: server)]))
        case .some(let digest) where digest != observed.digest:
            plan.changes.append(Change(id, action: .update, summary: "update ArgoCD's cluster \(target.id): its server or credentials changed",
                                       fields: ["config-sha256": FieldChange(from: digest.map { String($0.prefix(12)) }, to: String(observed.digest.prefix(12)))]))
        default:
            plan.unchanged.append(id)
        }
        return plan
    }

    func apply(_ changes: [Change], observed: Observed, context apply: ApplyContext) async throws {
        guard let change = changes.first else { return }
        apply.context.progress.note(change.summary)
        let manifest = ArgoClusterSecret.manifest(cluster: target.id, server: server, namespace: spec.namespace,
                                                  config: observed.config, digest: observed.digest)
        _ = try await KubectlRun.output(KubectlGitOps.apply(context: kubeContext, manifest: manifest), runner: apply.context.runner, context: kubeContext)
    }

    /// The digest only: the Secret holds a client key.
    func journal(_ change: Change, observed: Observed) -> (before: String?, after: String?) {
        (observed.current.flatMap { $0 }.map { "{\"config-sha256\":\"\($0)\"}" }, "{\"config-sha256\":\"\(observed.digest)\",\"server\":\"\(server)\"}")
    }

    /// A cluster not created yet has no credentials to read: the Secret waits for the next `up`.
    func unobservable(_ error: any Error) -> String? {
        "ArgoCD's cluster \(target.id) waits until that cluster answers (\(MoorError.from(error).message))"
    }
}
