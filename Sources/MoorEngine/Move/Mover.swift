import Foundation
import MoorCore
import MoorJournal
import MoorSystem

/// `moor move APP… --to CLUSTER`: each app's claims backed up on the cluster it deploys to,
/// its Application pointed at the target with sync paused, the claims made on the target
/// with their data restored and checked, sync resumed, the app waited on until Healthy there,
/// its databases restored, its data checked once more, and only then its resources removed
/// from the source. Each step is journaled as it completes (the migration journal, kind
/// `move`), so a rerun continues an interrupted move; `--back` moves an app back.
public struct Mover: Sendable {
    public enum Step: String, CaseIterable, Sendable {
        case backup, retarget, restore, resume, healthy, databases, verify, cleanup

        var describe: String {
            switch self {
            case .backup: "back up the app's claims on the source (verified, kept apart from the scheduled backups)"
            case .retarget: "point the Application's destination at the target, with automated sync paused"
            case .restore: "make the claims on the target (pre-bound volumes where its provisioner puts them) and restore their data, checked file by file"
            case .resume: "put the sync policy back"
            case .healthy: "ask ArgoCD to sync, and wait until the app is Synced and Healthy on the target"
            case .databases: "restore the app's PostgreSQL dumps into the target's new primary"
            case .verify: "read the restored claims again on the target: the same bytes as the backup"
            case .cleanup: "remove the app's resources and claims from the source"
            }
        }
    }

    let lab: LabFile
    let labPath: String
    let context: MoorContext

    public init(lab: LabFile, labPath: String, context: MoorContext) {
        self.lab = lab
        self.labPath = labPath
        self.context = context
    }

    var journal: any Journal { context.journal }

    func apps() throws -> AppsEngine {
        guard lab.gitops != nil else { throw MoorError(.invalidInput, "\(labPath) has no `gitops.argocd` section: `moor move` moves ArgoCD Applications") }
        return try AppsEngine(lab: lab, labPath: labPath, context: context)
    }

    /// The server an Application names for a cluster: in-cluster for the one ArgoCD runs in.
    func server(of cluster: ClusterSpec) -> String {
        cluster.id == lab.primaryCluster?.id ? "https://kubernetes.default.svc" : lab.serverURL(of: cluster)
    }

    /// The lab's cluster an Application deploys to, by its destination.
    func cluster(forDestination destination: String) -> ClusterSpec? {
        lab.clusters.first { server(of: $0) == destination || $0.id == destination || lab.serverURL(of: $0) == destination }
    }

    func target(_ name: String) throws -> ClusterSpec {
        guard let target = lab.cluster(named: name) else {
            throw MoorError(.usage, "--to \(name): the lab file has no such cluster (\(lab.clusters.map { "`\($0.id)`" }.joined(separator: ", ")))")
        }
        if target.id != lab.primaryCluster?.id, !(lab.gitops?.clusters.contains(target.id) ?? false) {
            throw MoorError(.invalidInput, "ArgoCD cannot deploy to cluster `\(target.id)` yet: add it to `gitops.argocd.clusters` and run `moor up` (ArgoCD gets its cluster Secret), then move")
        }
        return target
    }

    /// Plans (dry run) or runs the moves; an app with an unfinished move continues it.
    public func move(_ names: [String], to targetName: String?, back: Bool, dryRun: Bool, options: UpOptions, run: RunHandle) async throws -> MoveReport {
        let open = try journal.migrations(limit: 200).filter { $0.kind == .move && $0.finishedAt == nil }
        var report = MoveReport(moves: [])
        let engine = try apps()
        let wanted = names.isEmpty ? open.compactMap { Self.plan(of: $0)?.app } : names
        guard !wanted.isEmpty else { throw MoorError(.usage, "name the apps to move (`moor move APP… --to CLUSTER`); no move is unfinished") }
        for name in wanted {
            if let unfinished = open.first(where: { Self.plan(of: $0)?.app == name }), let plan = Self.plan(of: unfinished) {
                if let targetName, targetName != plan.to, !back {
                    throw MoorError(.refused, "the move of \(name) to `\(plan.to)` (move \(unfinished.id)) is unfinished; run `moor move \(name)` to finish it first")
                }
                report.moves.append(try await execute(unfinished, plan, dryRun: dryRun, options: options, run: run))
                continue
            }
            let to: ClusterSpec
            if back {
                guard let last = try journal.migrations(limit: 200).first(where: { $0.kind == .move && $0.finishedAt != nil && Self.plan(of: $0)?.app == name }),
                      let plan = Self.plan(of: last) else {
                    throw MoorError(.notFound, "no finished move of \(name) in the journal to go back from")
                }
                to = try target(plan.from)
            } else {
                guard let targetName else { throw MoorError(.usage, "say where to move \(name): --to CLUSTER (or --back)") }
                to = try target(targetName)
            }
            let json = try await KubectlRun.output(Command("kubectl", KubectlGitOps.base(engine.kubeContext) + ["-n", engine.spec.namespace, "get", "applications.argoproj.io", name, "-o", "json"]),
                                                   runner: context.runner, context: engine.kubeContext)
            let source = try AppMove.Source.parse(json)
            guard let from = cluster(forDestination: source.destination) else {
                throw MoorError(.invalidInput, "\(name) deploys to \(source.destination), which is none of the lab's clusters (\(lab.clusters.map(\.id).joined(separator: ", ")))")
            }
            guard from.id != to.id else { throw MoorError(.invalidInput, "\(name) already deploys to cluster `\(to.id)`") }
            let plan = AppMove(app: name, from: from.id, to: to.id, fromServer: source.destination, toServer: server(of: to), namespace: source.namespace,
                               syncPolicy: source.syncPolicy, resources: source.resources)
            if dryRun {
                report.moves.append(MoveReport.Move(move: nil, app: name, from: from.id, to: to.id,
                                                    steps: Step.allCases.map { .init(name: $0.rawValue, state: .wouldRun, detail: $0.describe, seconds: nil) }))
                continue
            }
            let record = try journal.openMigration(kind: .move, labFile: labPath, snapshot: try Self.encode(plan))
            context.progress.note("move \(record.id): \(name) from cluster \(from.id) to \(to.id)")
            report.moves.append(try await execute(record, plan, dryRun: false, options: options, run: run))
        }
        run.conclude(.ok, detail: report.moves.map { "\($0.app) → \($0.to)" }.joined(separator: ", "))
        return report
    }

    static func plan(of record: Migration) -> AppMove? {
        record.snapshot.flatMap { try? JSONDecoder().decode(AppMove.self, from: Data($0.utf8)) }
    }

    static func encode(_ plan: AppMove) throws -> String {
        String(decoding: try JSONEncoder().encode(plan), as: UTF8.self)
    }

    func execute(_ record: Migration, _ start: AppMove, dryRun: Bool, options: UpOptions, run: RunHandle) async throws -> MoveReport.Move {
        var plan = start
        var move = MoveReport.Move(move: record.id, app: plan.app, from: plan.from, to: plan.to, steps: [])
        for step in Step.allCases {
            if record.done(step.rawValue) {
                move.steps.append(.init(name: step.rawValue, state: .alreadyDone, detail: record.detail(step.rawValue), seconds: nil))
                continue
            }
            if dryRun {
                move.steps.append(.init(name: step.rawValue, state: .wouldRun, detail: step.describe, seconds: nil))
                continue
            }
            let began = context.clock.now
            context.progress.note("move \(record.id) (\(plan.app)), step \(step.rawValue): \(step.describe)")
            let detail = try await perform(step, &plan, record: record.id, options: options, run: run)
            try journal.setMigration(record.id, snapshot: try Self.encode(plan), backup: nil)
            try journal.completeStep(step.rawValue, detail: detail, migration: record.id)
            let seconds = (context.clock.now - began).inMilliseconds / 1000
            try run.record("move:\(plan.app)", action: step.rawValue, summary: "\(step.rawValue) in \(String(format: "%.1f", seconds)) s\(detail.map { ": \($0)" } ?? "")")
            move.steps.append(.init(name: step.rawValue, state: .done, detail: detail, seconds: seconds))
        }
        if !dryRun { try journal.finishMigration(record.id) }
        return move
    }
}

/// What `moor move` did (or would do).
public struct MoveReport: Sendable, Encodable {
    public struct Move: Sendable, Encodable {
        public var move: Int64?
        public var app: String
        public var from: String
        public var to: String
        public var steps: [MigrationReport.Step]
    }

    public var moves: [Move]
}
