import MoorCore
import MoorSystem

/// `app:<name>`: an ArgoCD Application that must exist, track `gitops.argocd.revision` and be
/// Synced and Healthy. A missing root (the app of apps) is created; off-target apps are
/// retargeted; then every app of the change is synced and waited on, the root's children as
/// they appear. Verify lists again.
struct AppKind: ResourceKind {
    let engine: AppsEngine
    var kind: String { "app" }
    /// Apps become healthy only once ArgoCD runs and the Secrets they mount exist.
    var needs: [String] { ["secret", "argocd", "cluster", "volumes"] }

    var spec: GitOpsSpec { engine.spec }

    func observe(_ session: ObservationSession) async throws -> [Application] {
        try await engine.applications()
    }

    func diff(_ observed: [Application], upstream: UpstreamChanges) -> KindPlan {
        GitOpsDiff.apps(spec, observed)
    }

    static func names(_ changes: [Change]) -> [String] {
        changes.compactMap { change -> String? in
            if case .app(let name) = change.id { return name }
            return nil
        }
    }

    func apply(_ changes: [Change], observed: [Application], context apply: ApplyContext) async throws {
        let names = Self.names(changes)
        let context = apply.context
        if let root = spec.root, names.contains(root.name), !observed.contains(where: { $0.name == root.name }) {
            context.progress.note("creating the root Application \(root.name)")
            _ = try await KubectlRun.output(KubectlGitOps.apply(context: engine.kubeContext, manifest: engine.rootManifest(root)),
                                            runner: context.runner, context: engine.kubeContext)
        }
        let offTarget = observed.filter { names.contains($0.name) && !$0.isOnTarget(spec.revision) }.map(\.name)
        if !offTarget.isEmpty {
            _ = try await engine.retarget(to: nil, selection: .names(offTarget), known: observed, run: apply.run, readBack: false)
        }
        // The list from before the patches, with the revisions the patches set: the wait
        // expects the commit of the new revision without listing again first.
        let retargeted = observed.map { app in
            var app = app
            if offTarget.contains(app.name) {
                for index in app.sources.indices where !app.sources[index].isChart { app.sources[index].targetRevision = spec.revision }
            }
            return app
        }
        let present = Set(observed.map(\.name)).intersection(names)
        // No list of apps in the lab file: every app, including those the root creates.
        let following = spec.apps.isEmpty ? spec.root?.name : nil
        let (engine, revision, run) = (engine, spec.revision, apply.run)
        let states = try await engine.settle(names, known: retargeted, syncNow: present, timeout: apply.options.waitTimeout, following: following) { app in
            guard !app.isOnTarget(revision) else { return app }
            _ = try await engine.retarget(to: nil, selection: .names([app.name]), known: [app], run: run, readBack: false)
            var moved = app
            for index in moved.sources.indices where !moved.sources[index].isChart { moved.sources[index].targetRevision = revision }
            return moved
        }
        let stuck = states.filter { !$0.ok }
        guard stuck.isEmpty else {
            let latest = (try? await engine.applications()) ?? observed
            let causes = try await explain(stuck, apps: latest)
            throw MoorError(.didNotTake, "\(stuck.count) app(s) not Synced and Healthy after \(DurationText.words(apply.options.waitTimeout)) (or stopped at the first failure): \(causes); see `moor apps`")
        }
    }

    /// `miniflux: Progressing — Secret miniflux/miniflux-config is missing (template …)`, one
    /// an app, with the missing Secrets of the templates that belong to it (by path or namespace).
    func explain(_ stuck: [AppState], apps: [Application]) async throws -> String {
        let missing = (try? await SecretsEngine(lab: engine.lab, labPath: engine.labPath, context: engine.context).status().filter { !$0.present }) ?? []
        return stuck.map { state in
            if state.result == "missing" { return "\(state.name): missing (\(spec.root.map { "\($0.name) has not created it" } ?? "no such Application"))" }
            let secretText = AppCauses.missingSecrets(of: state.name, app: apps.first { $0.name == state.name }, missing: missing)
            let cause = secretText.isEmpty ? state.cause.map { [$0] } ?? [] : secretText
            return "\(state.name): \(state.health)\(cause.isEmpty ? "" : " — " + cause.joined(separator: "; "))"
        }.joined(separator: "; ")
    }

    func journal(_ change: Change, observed: [Application]) -> (before: String?, after: String?) {
        guard case .app(let name) = change.id else { return (nil, nil) }
        return (observed.first { $0.name == name }?.targetRevision, spec.revision)
    }

    func notTaken(_ change: Change, remaining: Change, now: [Application]) -> String {
        "\(change.resource) was synced and waited on, but listing again shows: \(remaining.summary); see `moor apps`"
    }

    func unobservable(_ error: any Error) -> String? {
        "could not list ArgoCD Applications (\(error)); apps are left out of this plan"
    }
}
