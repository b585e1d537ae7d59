import Foundation
import MoorCore
import MoorJournal

/// `databases:<cluster>`: the logical dumps of a restored backup, put back with pg_restore
/// once ArgoCD has synced the apps and each CloudNativePG cluster's new primary is Ready.
/// The volumes kind journals it as a follow-up when it restores a backup that has dumps, so
/// a primary that takes longer than `--timeout` is restored by the next `up`.
struct DatabasesKind: ResourceKind {
    static let followUp = "restore-databases"

    let spec: ClusterSpec
    let lab: LabFile

    var kind: String { "databases" }
    var scope: String? { spec.label }
    var needs: [String] { ["app", "volumes", "cluster"] }
    static func id(_ spec: ClusterSpec) -> ResourceID { .other(kind: "databases", name: spec.id) }

    struct Observed: Sendable {
        var pending: FollowUp?
        var record: BackupRecord?
        var dropPending = false
    }

    func observe(_ session: ObservationSession) async throws -> Observed {
        let journal = session.context.journal
        let id = Self.id(spec).description
        if let pending = try journal.pendingFollowUps().first(where: { $0.kind == Self.followUp && $0.resource == id }) {
            if session.context.restore == .none { return Observed(pending: pending, dropPending: true) }
            return Observed(pending: pending, record: try journal.backups(cluster: nil, includeFailed: false).first { $0.id == pending.detail })
        }
        return Observed(record: try VolumesKind.choose(spec, session.context).0)
    }

    func diff(_ observed: Observed, upstream: UpstreamChanges) -> KindPlan {
        var plan = KindPlan()
        let id = Self.id(spec)
        if let pending = observed.pending, observed.dropPending {
            plan.changes.append(Change(id, action: .remove, summary: "forget the pending database restore of backup \(pending.detail) (--no-restore)"))
        } else if observed.pending != nil || upstream.changes.contains(where: { $0.id == VolumesKind.id(spec) && $0.action == .create }),
                  let record = observed.record, !record.databaseDumps.isEmpty {
            plan.changes.append(Change(id, action: .create, summary: "restore \(record.databaseDumps.map(\.summary).joined(separator: "; ")) from backup \(record.id) with pg_restore once the primary is Ready"))
        }
        return plan
    }

    func apply(_ changes: [Change], observed: Observed, context apply: ApplyContext) async throws {
        guard !changes.isEmpty, let pending = observed.pending else { return }
        let journal = apply.context.journal
        if observed.dropPending { return try journal.completeFollowUp(pending.id) }
        guard let record = observed.record else {
            throw MoorError(.notFound, "backup \(pending.detail), whose databases are to be restored, is no longer in the journal")
        }
        let volumes = try ClusterVolumes(spec, lab: lab, session: apply.session)
        let dumper = PostgresDumper(volumes: volumes)
        for dump in record.databaseDumps {
            apply.context.progress.note(try await dumper.restore(dump, from: record.directory, timeout: apply.options.waitTimeout))
        }
        try journal.completeFollowUp(pending.id)
    }
}
