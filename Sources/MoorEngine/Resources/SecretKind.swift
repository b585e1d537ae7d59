import MoorCore

/// `secret:<namespace>/<name>`: a Secret a template makes. Missing → the template is
/// rendered in memory and piped to `kubectl apply -f -`; verify lists the names again.
struct SecretKind: ResourceKind {
    let engine: SecretsEngine
    var kind: String { "secret" }
    /// After ArgoCD: a repository credential must exist before the root app is fetched, and
    /// ArgoCD's namespace is the install's.
    var needs: [String] { ["cluster", "argocd"] }

    func observe(_ session: ObservationSession) async throws -> [SecretObjectState] {
        try await engine.status().map {
            SecretObjectState(template: $0.template, object: .init(name: $0.name, namespace: $0.namespace), present: $0.present)
        }
    }

    func diff(_ observed: [SecretObjectState], upstream: UpstreamChanges) -> KindPlan {
        GitOpsDiff.secrets(observed)
    }

    func apply(_ changes: [Change], observed: [SecretObjectState], context apply: ApplyContext) async throws {
        var templates: [String] = []
        for state in observed where changes.contains(where: { $0.id == state.id }) && !templates.contains(state.template) {
            templates.append(state.template)
        }
        for template in templates {
            do {
                _ = try await engine.applyTemplates(only: [template], run: apply.run)
            } catch let error as MoorError where error.code == .unavailable {
                // Everything else goes on; the apps that need these Secrets will say so.
                for state in observed where state.template == template && changes.contains(where: { $0.id == state.id }) {
                    apply.skip(state.id, because: "\(state.id) stays missing: \(error.message)")
                }
            }
        }
    }

    func journal(_ change: Change, observed: [SecretObjectState]) -> (before: String?, after: String?) { (nil, nil) }

    func notTaken(_ change: Change, remaining: Change, now: [SecretObjectState]) -> String {
        let template = now.first { $0.id == change.id }?.template ?? "its template"
        guard case .secret(let namespace, let name) = change.id else { return "\(change.resource) is still missing" }
        return "kubectl applied \(template) but the Secret \(namespace)/\(name) is not in the cluster; run `kubectl get secret -n \(namespace) \(name)`"
    }

    func unobservable(_ error: any Error) -> String? {
        "could not list Secrets (\(error)); secrets are left out of this plan"
    }
}
