import Foundation
import MoorCore
import MoorJournal

/// `volumes:<cluster>`: when `up` creates a cluster the journal has a verified backup of,
/// the backup goes back before ArgoCD syncs (ArgoCD and the apps need this kind). The
/// cluster kind journals the restore as a follow-up when it creates the cluster, so an
/// interrupted `up` restores on the next run; nothing is restored into a cluster that
/// already existed.
struct VolumesKind: ResourceKind {
    static let followUp = "restore-volumes"

    let spec: ClusterSpec
    let lab: LabFile

    var kind: String { "volumes" }
    var scope: String? { spec.label }
    var needs: [String] { ["cluster"] }
    var id: ResourceID { Self.id(spec) }
    static func id(_ spec: ClusterSpec) -> ResourceID { .other(kind: "volumes", name: spec.id) }

    struct Observed: Sendable {
        var pending: FollowUp?
        var candidate: BackupRecord?
        var warning: String?
        /// `--no-restore` with a restore pending: the owner chose to start empty.
        var dropPending = false
    }

    func observe(_ session: ObservationSession) async throws -> Observed {
        let journal = session.context.journal
        let pending = try journal.pendingFollowUps().first { $0.kind == Self.followUp && $0.resource == id.description }
        if let pending {
            switch session.context.restore {
            case .none: return Observed(pending: pending, dropPending: true)
            case .id(let other) where other != pending.detail: return Observed(pending: pending, candidate: try Self.choose(spec, session.context).0)
            default: return Observed(pending: pending, candidate: try journal.backups(cluster: nil, includeFailed: false).first { $0.id == pending.detail })
            }
        }
        let (candidate, warning) = try Self.choose(spec, session.context)
        return Observed(candidate: candidate, warning: warning)
    }

    /// The backup `up` would restore into this cluster, as `--restore`/`--no-restore` chose.
    static func choose(_ spec: ClusterSpec, _ context: MoorContext) throws -> (BackupRecord?, String?) {
        let backups = try context.journal.backups(cluster: spec.id, includeFailed: false).filter { !$0.claims.isEmpty && $0.purpose == nil }
        switch context.restore {
        case .none:
            return (nil, nil)
        case .newest:
            return (backups.first, nil)
        case .id(let wanted):
            guard let record = try context.journal.backups(cluster: nil, includeFailed: true).first(where: { $0.id == wanted }) else {
                throw MoorError(.notFound, "--restore \(wanted): no such backup in the journal; `moor backups` lists them")
            }
            guard record.verified else { throw MoorError(.refused, "--restore \(wanted): that backup failed when it was taken (\(record.error ?? "?"))") }
            guard record.cluster == spec.id else {
                throw MoorError(.usage, "--restore \(wanted) is a backup of cluster `\(record.cluster)`, not `\(spec.id)`; `moor move` moves apps between clusters")
            }
            return (record, nil)
        }
    }

    func diff(_ observed: Observed, upstream: UpstreamChanges) -> KindPlan {
        var plan = KindPlan()
        let creating = upstream.changes.contains { $0.id == .cluster(spec.label) && $0.action == .create }
        if let pending = observed.pending, observed.dropPending {
            plan.changes.append(Change(id, action: .remove, summary: "forget the pending restore of backup \(pending.detail) (--no-restore): the claims start empty"))
        } else if let pending = observed.pending {
            guard let record = observed.candidate else {
                plan.warnings.append("the restore of backup \(pending.detail) into cluster \(spec.id) is pending, but that backup is no longer in the journal")
                return plan
            }
            plan.changes.append(Change(id, action: .create, summary: Self.summary(record) + " (resuming)"))
        } else if creating, let record = observed.candidate {
            plan.changes.append(Change(id, action: .create, summary: Self.summary(record)))
        } else if let warning = observed.warning {
            plan.warnings.append(warning)
        }
        return plan
    }

    /// `restore backup minikube-20261201-023000 (3 h, 2 claims, 12 MB)`.
    static func summary(_ record: BackupRecord) -> String {
        "restore backup \(record.id) (\(BackupRecord.age(Date().timeIntervalSince(record.createdAt))), \(record.summary))"
    }

    func apply(_ changes: [Change], observed: Observed, context apply: ApplyContext) async throws {
        let journal = apply.context.journal
        if let pending = observed.pending, observed.dropPending, !changes.isEmpty {
            return try journal.completeFollowUp(pending.id)
        }
        guard !changes.isEmpty, let record = observed.candidate else { return }
        let pending = try observed.pending?.id ?? apply.run.addFollowUp(kind: Self.followUp, resource: id.description, detail: record.id)
        let restorer = VolumeRestorer(lab: lab, session: apply.session)
        let detail = try await restorer.restore(record, into: spec)
        apply.context.progress.note(detail)
        // The databases go back once their PostgreSQL runs again, after the apps sync.
        if !record.databaseDumps.isEmpty, try !journal.pendingFollowUps().contains(where: { $0.kind == DatabasesKind.followUp && $0.resource == DatabasesKind.id(spec).description }) {
            _ = try apply.run.addFollowUp(kind: DatabasesKind.followUp, resource: DatabasesKind.id(spec).description, detail: record.id)
        }
        try journal.completeFollowUp(pending)
    }

    func journal(_ change: Change, observed: Observed) -> (before: String?, after: String?) {
        (nil, observed.candidate.map { #"{"backup":"\#($0.id)"}"# })
    }

    /// The cluster kinds call this when they create a cluster: the restore is journaled
    /// before the cluster exists, so an interrupted `up` still restores on its next run.
    static func markPending(_ spec: ClusterSpec, _ apply: ApplyContext) throws {
        guard let record = try choose(spec, apply.context).0 else { return }
        let id = Self.id(spec).description
        if try apply.context.journal.pendingFollowUps().contains(where: { $0.kind == followUp && $0.resource == id }) { return }
        _ = try apply.run.addFollowUp(kind: followUp, resource: id, detail: record.id)
    }
}
