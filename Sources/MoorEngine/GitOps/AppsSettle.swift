import Foundation
import MoorCore
import MoorSystem

/// Where an app ended when `up` stopped waiting.
public struct AppState: Sendable, Equatable, Encodable {
    public var name: String
    public var sync: String
    public var health: String
    /// `healthy`, `missing`, `failed` or `waiting`.
    public var result: String
    /// The likely cause when it is not healthy: a condition, a missing Secret.
    public var cause: String?

    public var ok: Bool { result == "healthy" }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(sync, forKey: .sync)
        try container.encode(health, forKey: .health)
        try container.encode(result, forKey: .result)
        try container.encode(cause, forKey: .cause)
    }
    enum CodingKeys: String, CodingKey { case name, sync, health, result, cause }
}

extension AppsEngine {
    /// Asks ArgoCD to sync each app of `syncNow`, and each app of `names` that appears later
    /// (an app of apps creates its children as it syncs) without being Synced and Healthy;
    /// then lists once a poll (quickly at first, then every `pollInterval`) until every app
    /// of `names` is Synced and Healthy, one is Degraded or failed, or `timeout` ends.
    /// Progress goes to stderr, one line a change of an app's state.
    ///
    /// With `root` (a lab file that lists no apps: wait for every app), the wait also covers
    /// every Application the root manages (its `status.resources`, once it has synced) and any
    /// Application that appears while waiting.
    ///
    /// `retarget` moves an app that appears while waiting (a child the root just created)
    /// onto the lab's revision before its sync is requested; it returns the app as patched.
    func settle(_ wanted: [String], known: [Application], syncNow: Set<String>, timeout: Duration, following root: String? = nil,
                retarget: (@Sendable (Application) async throws -> Application)? = nil) async throws -> [AppState] {
        let clock = context.clock
        var names = wanted
        let before = Set(known.map(\.name))
        let deadline = clock.now + timeout
        var startedBefore: [String: String?] = [:]
        var expected: [String: String?] = [:]
        func request(_ app: Application) async throws {
            startedBefore[app.name] = app.operationStartedAt
            expected[app.name] = await commit(for: app).0
            _ = try await context.runner.output(KubectlGitOps.patchApplication(context: kubeContext, namespace: spec.namespace, name: app.name,
                                                                               type: "merge", patch: Self.syncOperation))
            context.progress.note("\(app.name): sync requested")
        }
        for app in known where syncNow.contains(app.name) { try await request(app) }
        var states: [String: AppState] = [:]
        var interval: Duration = .milliseconds(250)
        while true {
            try await clock.sleep(for: min(interval, max(.zero, deadline - clock.now)))
            interval = min(interval * 2, pollInterval)
            let current = try await applications()
            if let root, let parent = current.first(where: { $0.name == root }) {
                let managed = parent.syncStatus == .synced ? parent.children : []
                let appeared = current.map(\.name).filter { !before.contains($0) }
                for name in managed + appeared where !names.contains(name) { names.append(name) }
            }
            for name in names {
                guard let app = current.first(where: { $0.name == name }) else {
                    update(&states, AppState(name: name, sync: "-", health: "Missing", result: "missing", cause: nil))
                    continue
                }
                let settled = app.syncStatus == .synced && app.health == .healthy
                if startedBefore[name] == nil, !settled, !app.operationPending, app.operationPhase != "Running" {
                    try await request(before.contains(name) ? app : retarget?(app) ?? app)
                }
                let progress: SyncProgress = startedBefore[name] == nil
                    ? (settled ? .done : app.health == .degraded ? .failed("Degraded\(app.healthMessage.map { ": \($0)" } ?? "")") : .waiting("\(app.syncStatus), \(app.health)"))
                    : SyncProgress.of(app, revision: expected[name] ?? nil, startedBefore: startedBefore[name] ?? nil)
                switch progress {
                case .done: update(&states, AppState(name: name, sync: app.syncStatus.description, health: app.health.description, result: "healthy", cause: nil))
                case .failed(let why): update(&states, AppState(name: name, sync: app.syncStatus.description, health: app.health.description, result: "failed", cause: why))
                case .waiting(let why):
                    update(&states, AppState(name: name, sync: app.syncStatus.description, health: app.health.description, result: "waiting",
                                             cause: app.healthMessage ?? app.conditions.first.map { "\($0.type): \($0.message)" } ?? why))
                }
            }
            let all = names.compactMap { states[$0] }
            if all.allSatisfy(\.ok) || all.contains(where: { $0.result == "failed" }) || clock.now >= deadline { return all }
        }
    }

    /// Records a state, with a progress line when it differs from the last one seen.
    func update(_ states: inout [String: AppState], _ state: AppState) {
        if states[state.name].map({ ($0.result, $0.sync, $0.health) }) ?? ("", "", "") != (state.result, state.sync, state.health) {
            context.progress.note("\(state.name): \(state.result == "missing" ? "not there yet" : "\(state.sync), \(state.health)")")
        }
        states[state.name] = state
    }

    static let syncOperation = #"{"operation":{"info":[{"name":"Reason","value":"moor apps sync"}],"initiatedBy":{"username":"moor"},"sync":{"prune":false}}}"#

    /// The root Application: the app of apps, tracking `revision`, syncing itself.
    func rootManifest(_ root: RootApp) -> [UInt8] {
        let object: [String: Any] = [
            "apiVersion": "argoproj.io/v1alpha1", "kind": "Application",
            "metadata": ["name": root.name, "namespace": spec.namespace],
            "spec": ["project": "default",
                     "source": ["repoURL": root.repoURL, "path": root.path, "targetRevision": spec.revision],
                     "destination": ["server": "https://kubernetes.default.svc", "namespace": spec.namespace],
                     "syncPolicy": ["automated": ["prune": true, "selfHeal": true]]],
        ]
        return Array((try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data())
    }
}
