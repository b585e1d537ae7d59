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
    /// Each wanted app (`gitops.argocd.apps`, else every app there is, plus the root) must
    /// exist, track `revision` and be Synced and Healthy. A missing root is created; an app
    /// missing while a root exists (or is about to) is waited for, since the root creates it.
    public static func apps(_ spec: GitOpsSpec, _ apps: [Application]) -> KindPlan {
        var plan = KindPlan()
        var wanted = spec.apps.isEmpty ? apps.map(\.name) : spec.apps
        if let root = spec.root, !wanted.contains(root.name) { wanted.insert(root.name, at: 0) }
        for name in wanted {
            let id = ResourceID.app(name: name)
            guard let app = apps.first(where: { $0.name == name }) else {
                if let root = spec.root, root.name == name {
                    plan.changes.append(Change(id, action: .create,
                                               summary: "create the root Application \(name) (\(root.repoURL) \(root.path) at \(spec.revision)), sync it and wait for its apps",
                                               fields: ["targetRevision": FieldChange(from: nil, to: spec.revision)]))
                } else if let root = spec.root {
                    plan.changes.append(Change(id, action: .create, summary: "wait for \(name) to appear (\(root.name) creates it) and be Synced and Healthy",
                                               fields: ["health": FieldChange(from: nil, to: "Healthy")]))
                } else {
                    plan.warnings.append("gitops.argocd.apps lists `\(name)`, which is not an Application in \(spec.namespace)")
                }
                continue
            }
            if !app.isOnTarget(spec.revision) {
                plan.changes.append(Change(id, action: .update,
                                           summary: "retarget \(name) from \(app.targetRevision) to \(spec.revision) and sync it",
                                           fields: ["targetRevision": FieldChange(from: app.targetRevision, to: spec.revision)]))
            } else if app.syncStatus != .synced || app.health != .healthy {
                plan.changes.append(Change(id, action: .update, summary: "sync \(name) (\(app.syncStatus), \(app.health)) and wait until Synced and Healthy",
                                           fields: ["state": FieldChange(from: "\(app.syncStatus)/\(app.health)", to: "Synced/Healthy")]))
            } else {
                plan.unchanged.append(id)
            }
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
