import Foundation
import MoorCore
import MoorJournal
import MoorSystem

/// `moor migrate` and `moor rollback`: change what only a new cluster can change without
/// losing the volumes. Each step is journaled when it completes, so a rerun after any
/// interruption continues at the first unfinished one. A cluster is never deleted without a
/// backup verified, file by file, against the manifest the node computed.
public struct Migrator: Sendable {
    public enum Step: String, CaseIterable, Sendable {
        case preflight, snapshot, backup, delete, create, restore, converge, checks

        var describe: String {
            switch self {
            case .preflight: "the new driver answers, the memory fits, the state directory has room for the backup"
            case .snapshot: "keep the old cluster's settings in the journal (for rollback)"
            case .backup: "stream the volumes (\(NodeCommands.volumes)) into the state directory, verify them against the node's manifest, list the claims"
            case .delete: "check the backup again, then delete the old cluster"
            case .create: "create the new cluster"
            case .restore: "unpack the volumes into the new node and verify them there"
            case .converge: "the rest of `up`: mirrors, exposure, ArgoCD, secrets, apps (the claims bind to their old data)"
            case .checks: "run the lab's checks"
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

    func spec() throws -> ClusterSpec {
        guard let spec = lab.cluster else { throw MoorError(.invalidInput, "\(labPath) has no `cluster` section: nothing to migrate") }
        guard lab.clusters.count == 1 else {
            throw MoorError(.usage, "the lab has \(lab.clusters.count) clusters: say which one to migrate with --cluster (\(lab.clusters.map(\.id).joined(separator: ", ")))")
        }
        if let reason = try ClusterProviders.provider(for: spec).migrationUnsupported {
            throw MoorError(.invalidInput, "cluster `\(spec.id)`: \(reason)")
        }
        return spec
    }

    /// Migrates to the lab file's cluster settings, or resumes the unfinished migration.
    public func migrate(dryRun: Bool, options: UpOptions, run: RunHandle) async throws -> MigrationReport {
        let spec = try spec()
        if let open = try journal.migrations(limit: 50).first(where: { $0.finishedAt == nil && $0.kind != .move }) {
            guard open.kind == .migrate else {
                throw MoorError(.refused, "rollback \(open.id) is unfinished; run `moor rollback` to finish it first")
            }
            return try await execute(open, target: spec, restoreFrom: nil, labForConverge: lab, dryRun: dryRun, options: options, run: run)
        }
        let session = ObservationSession(lab: lab, labPath: labPath, context: context)
        let observed = try await session.cluster(spec)
        guard observed.state != .absent, let config = observed.config else {
            throw MoorError(.invalidInput, "there is no cluster `\(spec.name)` to migrate; `moor up` creates it")
        }
        guard let change = ClusterDiff.change(spec, observed), change.action == .recreate else {
            throw MoorError(.invalidInput, "nothing to migrate: cluster `\(spec.name)` can reach the lab file's settings without a new cluster; run `moor up`")
        }
        let from = ClusterSpec.recreating(config, like: spec)
        if dryRun { return plan(kind: .migrate, from: from, to: spec, done: []) }
        let snapshot = String(decoding: try JSONEncoder().encode(config), as: UTF8.self)
        let migration = try journal.openMigration(kind: .migrate, labFile: labPath, snapshot: snapshot)
        context.progress.note("migration \(migration.id): \(change.summary)")
        return try await execute(migration, target: spec, restoreFrom: nil, labForConverge: lab, dryRun: false, options: options, run: run)
    }

    /// Returns to the last migration's snapshot: the old settings, the same backup.
    public func rollback(dryRun: Bool, options: UpOptions, run: RunHandle) async throws -> MigrationReport {
        let spec = try spec()
        let all = try journal.migrations(limit: 50).filter { $0.kind != .move }
        if let open = all.first(where: { $0.finishedAt == nil }), open.kind == .migrate {
            throw MoorError(.refused, "migration \(open.id) is unfinished; run `moor migrate` to finish it, then roll back")
        }
        guard let last = all.first(where: { $0.kind == .migrate && $0.finishedAt != nil }),
              let snapshot = last.snapshot, let config = try? JSONDecoder().decode(MinikubeProfiles.ProfileConfig.self, from: Data(snapshot.utf8)),
              let backup = last.backup else {
            throw MoorError(.notFound, "no finished `moor migrate` in the journal to roll back")
        }
        let old = ClusterSpec.recreating(config, like: spec)
        var oldLab = lab
        oldLab.cluster = old
        let open = all.first { $0.finishedAt == nil && $0.kind == .rollback }
        if dryRun {
            return plan(kind: .rollback, from: spec, to: old, done: open?.steps.map(\.name) ?? [])
        }
        let migration = try open ?? journal.openMigration(kind: .rollback, labFile: labPath, snapshot: nil)
        var report = try await execute(migration, target: old, restoreFrom: backup, labForConverge: oldLab, dryRun: false, options: options, run: run)
        let config2 = MinikubeProfiles.ProfileConfig(driver: old.driver, containerRuntime: old.containerRuntime ?? "", cpus: old.cpus ?? 0,
                                                     memoryMiB: old.memoryMiB ?? 0, diskMiB: old.diskMiB ?? 0, apiServerPort: old.apiServer.effectivePort,
                                                     apiServerNames: old.apiServer.names, listenAddress: old.apiServer.listenAddress ?? "")
        report.labStillAsks = ClusterSettings.differences(spec, config2).keys.sorted().map { key in
            "cluster.\(key): the lab file asks for \(ClusterSettings.differences(spec, config2)[key]?.to ?? "?"), the cluster is back at \(ClusterSettings.differences(spec, config2)[key]?.from ?? "?")"
        }
        return report
    }

    func plan(kind: MigrationKind, from: ClusterSpec, to: ClusterSpec, done: [String]) -> MigrationReport {
        MigrationReport(migration: nil, kind: kind.description, from: from.settingsText, to: to.settingsText,
                        steps: Step.allCases.map { .init(name: $0.rawValue, state: done.contains($0.rawValue) ? .alreadyDone : .wouldRun, detail: $0.describe) },
                        checks: nil, labStillAsks: [])
    }
}
