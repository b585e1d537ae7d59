/// The GitOps part of a plan: apps whose git sources do not track the lab file's revision
/// (`app:<name>`, retarget and sync) and Secrets the templates make that are missing
/// (`secret:<namespace>/<name>`, apply the template).
enum GitOpsPlanner {
    static func add(_ lab: LabFile, _ observation: Observation, to plan: inout Plan) {
        if let spec = lab.gitops, let apps = observation.applications {
            let wanted = spec.apps.isEmpty ? apps.map(\.name) : spec.apps
            for name in wanted {
                guard let app = apps.first(where: { $0.name == name }) else {
                    plan.warnings.append("gitops.argocd.apps lists `\(name)`, which is not an Application in \(spec.namespace)")
                    continue
                }
                let resource = "app:\(name)"
                if app.isOnTarget(spec.revision) {
                    plan.unchanged.append(resource)
                } else {
                    plan.changes.append(Change(resource: resource, action: .update,
                                               summary: "retarget \(name) from \(app.targetRevision) to \(spec.revision) and sync it",
                                               fields: ["targetRevision": FieldChange(from: app.targetRevision, to: spec.revision)]))
                }
            }
        }
        for state in observation.secretObjects ?? [] {
            let resource = "secret:\(state.object.namespace)/\(state.object.name)"
            if state.present {
                plan.unchanged.append(resource)
            } else {
                plan.changes.append(Change(resource: resource, action: .create,
                                           summary: "apply \(state.template) (the Secret \(state.object.namespace)/\(state.object.name) is missing)",
                                           fields: ["template": FieldChange(from: nil, to: state.template)]))
            }
        }
    }
}
