import MoorCore

/// `app:<name>`: an ArgoCD Application whose git sources must track
/// `gitops.argocd.revision`. Off target → retarget, sync and wait; verify lists again.
struct AppKind: ResourceKind {
    let engine: AppsEngine
    var kind: String { "app" }
    /// An app becomes healthy only once the Secrets it mounts exist.
    var needs: [String] { ["secret", "cluster"] }

    func observe(_ session: ObservationSession) async throws -> [Application] {
        try await engine.applications()
    }

    func diff(_ observed: [Application], upstream: UpstreamChanges) -> KindPlan {
        GitOpsDiff.apps(engine.spec, observed)
    }

    func apply(_ changes: [Change], observed: [Application], context apply: ApplyContext) async throws {
        let names = changes.compactMap { change -> String? in
            if case .app(let name) = change.id { return name }
            return nil
        }
        _ = try await engine.retarget(to: nil, selection: .names(names), known: observed, run: apply.run, readBack: false)
        // The list from before the patches, with the revisions the patches set: sync waits
        // for the commit of the new revision without listing again first.
        let retargeted = observed.map { app in
            var app = app
            if names.contains(app.name), !app.isHelmOnly {
                for index in app.sources.indices where !app.sources[index].isChart { app.sources[index].targetRevision = engine.spec.revision }
            }
            return app
        }
        let report = try await engine.sync(.names(names), timeout: apply.options.waitTimeout, known: retargeted)
        guard report.ok else {
            let failed = report.apps.filter { $0.result != "synced" }.map { "\($0.name): \($0.detail)" }.joined(separator: "; ")
            throw EngineError(.didNotTake, "apps were retargeted but did not all sync: \(failed); see `moor apps`")
        }
    }

    func journal(_ change: Change, observed: [Application]) -> (before: String?, after: String?) {
        guard case .app(let name) = change.id else { return (nil, nil) }
        return (observed.first { $0.name == name }?.targetRevision, engine.spec.revision)
    }

    func notTaken(_ change: Change, remaining: Change, now: [Application]) -> String {
        guard case .app(let name) = change.id else { return "\(change.resource) did not take" }
        let current = now.first { $0.name == name }?.targetRevision ?? "nothing"
        return "\(name) was patched and synced but still tracks \(current), not \(engine.spec.revision); run `moor apps`"
    }

    func unobservable(_ error: any Error) -> String? {
        "could not list ArgoCD Applications (\(error)); apps are left out of this plan"
    }
}
