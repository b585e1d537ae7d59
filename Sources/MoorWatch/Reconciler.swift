import Foundation
import MoorCore
import MoorEngine
import MoorJournal
import MoorSystem

/// Keeps the cluster loop converged: one reconcile at a time, on an event, after a stop
/// (with `autoStart`), and at least every `watch.reconcile`. Each reconcile plans the
/// unattended kinds; only when something differs does it take the writer lock, plan again
/// under it if another writer held it (a manual `moor up` may have done the work meanwhile)
/// and apply in one journal run named `watch` (`up` observes afresh before it applies).
public actor Reconciler {
    public typealias LockTaker = @Sendable () async throws -> WriterLocks

    let lab: LabFile
    let labPath: String
    let context: MoorContext
    let spec: WatchSpec
    let alerter: Alerter
    let metrics: WatchMetrics
    let log: WatchLog
    let takeLock: LockTaker
    var lastError: String?
    /// The status page's board, when watch serves it.
    var board: StatusBoard?

    func setBoard(_ board: StatusBoard?) { self.board = board }

    public init(lab: LabFile, labPath: String, context: MoorContext, spec: WatchSpec, alerter: Alerter, metrics: WatchMetrics,
                log: WatchLog, takeLock: @escaping LockTaker) {
        self.lab = lab
        self.labPath = labPath
        self.context = context
        self.spec = spec
        self.alerter = alerter
        self.metrics = metrics
        self.log = log
        self.takeLock = takeLock
    }

    /// How long before a failed reconcile is tried once more, before it counts.
    var retryDelay: Duration = .seconds(1)

    /// One reconcile; errors are logged, counted and alerted, never thrown. A failure is
    /// tried once more after `retryDelay` before it counts: the cluster can change state
    /// while it is being observed (the node container stopping between the profile list
    /// and `minikube ssh`), and the next look then sees a plain stopped cluster.
    public func reconcile(_ reason: String) async {
        guard !lab.clusters.isEmpty else { return }
        do {
            try await once(reason)
        } catch {
            if Interrupted.means(error) || Task.isCancelled { return }
            log.event("reconcile failed (\(reason)): \(Self.describe(error)); looking again in \(retryDelay.components.seconds) s")
            do {
                try await context.clock.sleep(for: retryDelay)
                try await once(reason + ", again")
            } catch {
                if Interrupted.means(error) || Task.isCancelled { return }
                let message = Self.describe(error)
                log.event("reconcile failed again (\(reason)): \(message)")
                lastError = message
                metrics.reconciled(at: context.clock.date, failed: true)
                reconciled("failed", message)
                await alerter.evaluate("reconcile", success: false, detail: message)
            }
        }
        await recordApps()
    }

    func once(_ reason: String) async throws {
        let engine = try ResourceEngine(lab: lab, labPath: labPath, context: context, scope: .unattended)
        let first = try await engine.plan()
        record(observed: first.observed, changes: first.plan.changes)
        switch ReconcileDecision.decide(first.plan.changes, autoStart: spec.autoStart) {
        case .inSync:
            reconciled("in sync", nil)
            await settle(nil)
        case .needsPerson(let alert, let detail):
            if lastError != detail { log.event("\(reason): \(detail)") }
            lastError = detail
            reconciled("needs a person", detail)
            await settle(alert, detail)
        case .apply(let changes):
            log.event("\(reason): \(changes[0].summary)\(changes.count > 1 ? " (and \(changes.dropFirst().map(\.resource).joined(separator: ", ")))" : "")")
            let lock = try await takeLock()
            defer { lock.release() }
            // Another moor held the lock: it may have done the work, or changed what is needed,
            // so plan again under it. Uncontended, the plan just made is still the world.
            var current = first
            if lock.contended {
                current = try await engine.plan()
                guard !current.plan.changes.isEmpty else {
                    log.event("nothing left to do: another moor made the changes")
                    record(observed: current.observed, changes: current.plan.changes)
                    await settle(nil)
                    break
                }
                if case .needsPerson(let alert, let detail) = ReconcileDecision.decide(current.plan.changes, autoStart: spec.autoStart) {
                    await settle(alert, detail)
                    break
                }
            }
            let basis = current
            let report = try await context.journal.withRun(command: "watch", labFile: labPath) { run in
                try await engine.up(UpOptions(allowRecreate: false), run: run, from: basis)
            }
            for change in report.applied { log.event("applied \(change.resource): \(change.summary)") }
            for spec in lab.clusters where report.applied.contains(where: { $0.id == .cluster(spec.label) && $0.action != .remove }) {
                board?.restarted(StatusBoard.id(spec, lab), at: context.clock.date)
            }
            reconciled("applied", report.applied.map(\.summary).joined(separator: "; "))
            for warning in report.warnings { log.event("warning: \(warning)") }
            record(observed: report.observed, changes: [])
            await settle(nil)
        }
        metrics.reconciled(at: context.clock.date, failed: false)
    }

    /// Resolves watch's own alerts except `failing` (raised with `detail`).
    func settle(_ failing: String?, _ detail: String = "") async {
        if failing == nil, lastError != nil { log.event("cluster loop in sync") }
        if failing == nil { lastError = nil }
        for name in ReconcileDecision.alertNames {
            if name == failing {
                await alerter.evaluate(name, success: false, detail: detail)
            } else if await alerter.state(name) != nil {
                await alerter.evaluate(name, success: true, detail: name == "reconcile" ? "reconcile succeeded" : "no longer needed")
            }
        }
    }

    func reconciled(_ outcome: String, _ detail: String?) {
        for spec in lab.clusters { board?.reconciled(StatusBoard.id(spec, lab), outcome: outcome, detail: detail) }
    }

    /// Cluster metrics (and the status page's clusters) from what the plan observed.
    func record(observed: [String: any Sendable], changes: [Change]) {
        for spec in lab.clusters {
            board?.clusterObserved(ClusterStatusReading.cluster(spec, lab: lab, observed: observed, changes: changes))
            guard let provider = try? ClusterProviders.provider(for: spec),
                  let health = observed[provider.key("cluster")] as? any ClusterHealth else { continue }
            let exposed = lab.expose?.tailscale.map { ($0.cluster ?? lab.clusters.first?.id) == spec.id } ?? false
            metrics.cluster(spec.id, up: health.nodeUp, apiServerUp: health.apiServerUp,
                            exposeInSync: !exposed || !changes.contains { $0.id.kind == "expose" },
                            mirrorsInSync: spec.registryMirrors.isEmpty || !changes.contains { $0.id.kind == "mirror" && $0.id.clusterLabel == spec.label })
        }
    }

    /// Application counts, read-only (watch never syncs apps).
    func recordApps() async {
        guard lab.gitops != nil, let apps = try? AppsEngine(lab: lab, labPath: labPath, context: context) else { return }
        guard let list = try? await apps.applications() else { return }
        let rows = apps.rows(list)
        metrics.apps(total: rows.count, synced: rows.filter { $0.sync == .synced }.count, healthy: rows.filter { $0.health == .healthy }.count)
        guard let board else { return }
        // The likely cause of an app that is not Healthy, as `up` names it; the Secrets are
        // looked up only then.
        let unwell = list.filter { $0.health != .healthy || $0.syncStatus != .synced }
        let missing = unwell.isEmpty ? [] : ((try? await SecretsEngine(lab: lab, labPath: labPath, context: context).status()) ?? []).filter { !$0.present }
        board.appsListed(zip(list, rows).map { app, row in
            LabStatus.Argo.App(name: row.name, cluster: row.cluster, sync: row.sync.description, health: row.health.description,
                               syncedRevision: row.syncedRevision, targetRevision: row.targetRevision, onTarget: row.onTarget,
                               cause: AppCauses.cause(of: app, missing: missing))
        })
    }

    static func describe(_ error: any Error) -> String {
        switch error {
        case let error as MoorError: return error.message
        default: return String(describing: error)
        }
    }
}
