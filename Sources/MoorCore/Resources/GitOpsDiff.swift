/// A Secret a template makes, and whether the cluster has it.
public struct SecretObjectState: Sendable, Equatable {
    public var template: String
    public var object: SecretManifests.Object
    public var present: Bool

    public init(template: String, object: SecretManifests.Object, present: Bool) {
        self.template = template
        self.object = object
        self.present = present
    }

    public var id: ResourceID { .secret(namespace: object.namespace, name: object.name) }
}

/// The pure diffs of `app:<name>` (git sources that do not track the lab file's revision:
/// retarget and sync) and `secret:<namespace>/<name>` (a Secret a template makes is missing:
/// apply the template).
public enum GitOpsDiff {
    public static func apps(_ spec: GitOpsSpec, _ apps: [Application]) -> KindPlan {
        var plan = KindPlan()
        let wanted = spec.apps.isEmpty ? apps.map(\.name) : spec.apps
        for name in wanted {
            guard let app = apps.first(where: { $0.name == name }) else {
                plan.warnings.append("gitops.argocd.apps lists `\(name)`, which is not an Application in \(spec.namespace)")
                continue
            }
            let change = app.isOnTarget(spec.revision) ? nil
                : Change(.app(name: name), action: .update,
                         summary: "retarget \(name) from \(app.targetRevision) to \(spec.revision) and sync it",
                         fields: ["targetRevision": FieldChange(from: app.targetRevision, to: spec.revision)])
            plan.add(change, or: .app(name: name))
        }
        return plan
    }

    public static func secrets(_ states: [SecretObjectState]) -> KindPlan {
        var plan = KindPlan()
        for state in states {
            let change = state.present ? nil
                : Change(state.id, action: .create,
                         summary: "apply \(state.template) (the Secret \(state.object.namespace)/\(state.object.name) is missing)",
                         fields: ["template": FieldChange(from: nil, to: state.template)])
            plan.add(change, or: state.id)
        }
        return plan
    }
}
