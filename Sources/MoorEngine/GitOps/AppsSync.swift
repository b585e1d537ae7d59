import Foundation
import MoorCore
import MoorSystem

/// The outcome of `moor apps sync`.
public struct SyncReport: Sendable, Equatable, Encodable {
    public struct Item: Sendable, Equatable, Encodable {
        public var name: String
        /// `synced`, `failed`, `timed out` or `not waited` (another app failed first).
        public var result: String
        public var detail: String
        public var revision: String?
        public var health: String
        public var seconds: Double
    }

    public var apps: [Item]
    public var warnings: [String]
    public var polls: Int
    public var ok: Bool { apps.allSatisfy { $0.result == "synced" } }

    /// `not every app synced: grafana (failed)`.
    public var failureLine: String {
        "not every app synced: " + apps.filter { $0.result != "synced" }.map { "\($0.name) (\($0.result))" }.joined(separator: ", ")
    }
}

extension AppsEngine {
    /// Asks ArgoCD to sync each app (one patch of its `operation` field each) and waits with
    /// one list call per poll until every app is synced to the expected commit, finished and
    /// Healthy. A Degraded, Missing, ComparisonError or failed app ends the wait at the poll
    /// that sees it, unless `keepGoing`.
    public func sync(_ selection: Selection, timeout: Duration, keepGoing: Bool = false, known: [Application]? = nil) async throws -> SyncReport {
        let listed: [Application]
        if let known { listed = known } else { listed = try await applications() }
        let apps = try select(selection, from: listed)
        let clock = context.clock
        let start = clock.now
        var warnings: [String] = []
        var expected: [String: String?] = [:]
        var startedBefore: [String: String?] = [:]
        for app in apps {
            startedBefore[app.name] = app.operationStartedAt
            let (sha, warning) = await commit(for: app)
            expected[app.name] = sha
            if let warning { warnings.append(warning) }
        }
        for app in apps {
            _ = try await context.runner.output(KubectlGitOps.patchApplication(context: kubeContext, namespace: spec.namespace, name: app.name,
                                                                               type: "merge", patch: Self.syncOperation))
            context.progress.note("sync requested: \(app.name)")
        }
        var items: [String: SyncReport.Item] = [:]
        var polls = 0
        var lastSeen: [String: String] = [:]
        let deadline = start + timeout
        while items.count < apps.count {
            if clock.now >= deadline { break }
            try await clock.sleep(for: min(pollInterval, max(.zero, deadline - clock.now)))
            let current = try await applications()
            polls += 1
            let elapsed = (clock.now - start).components.seconds
            for app in apps where items[app.name] == nil {
                guard let now = current.first(where: { $0.name == app.name }) else {
                    items[app.name] = .init(name: app.name, result: "failed", detail: "the Application disappeared", revision: nil, health: "Missing", seconds: Double(elapsed))
                    continue
                }
                let progress = SyncProgress.of(now, revision: expected[app.name] ?? nil, startedBefore: startedBefore[app.name] ?? nil)
                switch progress {
                case .done:
                    items[app.name] = .init(name: app.name, result: "synced", detail: "Synced, Healthy", revision: now.syncedRevision.map { SyncProgress.short($0) },
                                            health: now.health.description, seconds: Double(elapsed))
                    context.progress.note("\(app.name): synced \(SyncProgress.short(now.syncedRevision)), Healthy")
                case .failed(let why):
                    items[app.name] = .init(name: app.name, result: "failed", detail: why, revision: now.syncedRevision.map { SyncProgress.short($0) },
                                            health: now.health.description, seconds: Double(elapsed))
                    context.progress.note("\(app.name): \(why)")
                case .waiting(let why):
                    if lastSeen[app.name] != why { context.progress.note("\(app.name): \(why)") }
                    lastSeen[app.name] = why
                }
            }
            if !keepGoing, items.values.contains(where: { $0.result == "failed" }) { break }
        }
        let elapsed = Double((clock.now - start).components.seconds)
        let failedFirst = items.values.contains { $0.result == "failed" } && !keepGoing
        let result = apps.map { app in
            items[app.name] ?? .init(name: app.name, result: failedFirst ? "not waited" : "timed out",
                                     detail: failedFirst ? "stopped waiting: another app failed" : "not Synced and Healthy after \(Int(timeout.components.seconds))s (\(lastSeen[app.name] ?? "no change seen"))",
                                     revision: nil, health: "-", seconds: elapsed)
        }
        return SyncReport(apps: result, warnings: warnings, polls: polls)
    }

    /// The commit the app's git source names (`git ls-remote`), or nil with a warning when it
    /// cannot be resolved (the wait then checks Synced without the commit).
    func commit(for app: Application) async -> (String?, String?) {
        guard let source = app.gitSources.first else { return (nil, nil) }
        let revision = source.targetRevision.isEmpty ? "HEAD" : source.targetRevision
        if GitRefs.isCommit(revision) { return (revision, nil) }
        guard let result = try? await context.runner.run(Git.lsRemote(repository: source.repoURL, revision: revision)),
              result.exitCode == 0, let sha = GitRefs.resolve(result.stdoutText, revision: revision) else {
            return (nil, "could not resolve \(revision) of \(source.repoURL) with git ls-remote; waiting for \(app.name) to be Synced without checking the commit")
        }
        return (sha, nil)
    }
}
