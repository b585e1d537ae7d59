import Foundation
import MoorCore
import MoorJournal
import MoorSystem

/// Puts a backup's volumes back on a cluster: every archive is checked against its manifest
/// first (a corrupted one stops the restore before anything is written, naming the file),
/// then each is unpacked on the node at its old path and checked there, then a
/// PersistentVolume pre-bound to its claim is created, so the claim ArgoCD creates binds to
/// the old data instead of a new empty volume.
struct VolumeRestorer: Sendable {
    let lab: LabFile
    let session: ObservationSession

    var context: MoorContext { session.context }

    func restore(_ record: BackupRecord, into cluster: ClusterSpec, claims only: Set<ClaimName>? = nil) async throws -> String {
        let claims = record.claims.filter { only?.contains($0.volume.claim) ?? true }
        for claim in claims where claim.kind == .files {
            do {
                try BackupVerifier.check(claim, in: record.directory, files: context.files)
            } catch let error as MoorError {
                throw MoorError(.refused, "backup \(record.id) cannot be restored: \(error.message); nothing was restored")
            }
        }
        for dump in record.databaseDumps where only == nil || dump.cluster.claims.contains(where: { only?.contains($0) ?? true }) {
            do {
                try PostgresDumper.verify(dump, in: record.directory)
            } catch let error as MoorError {
                throw MoorError(.refused, "backup \(record.id) cannot be restored: \(error.message); nothing was restored")
            }
        }
        let volumes = try ClusterVolumes(cluster, lab: lab, session: session)
        let existing = Set(try await volumes.volumes().volumes.map(\.volume))
        let stamp = BackupRecord.makeID(cluster: "restore", at: context.clock.date)
        var restored = 0
        for claim in claims where claim.kind == .files {
            let volume = claim.volume
            // Restored by an earlier, interrupted run: the node already holds exactly the backup.
            let present = try await volumes.manifest(of: volume.path, ifPresent: true)
            let differs = try !volumes.expected(claim, in: record).differences(from: present).isEmpty
            if present.files.isEmpty || differs {
                context.progress.note("restoring \(volume.claim) from backup \(record.id) into \(volume.path) on cluster \(cluster.id)")
                try await volumes.run(VolumeCommands.restore(volume.path, stamp: stamp), stdinFile: record.directory + "/" + claim.archive)
            }
            if let problem = try await volumes.difference(claim, at: volume.path, backup: record) {
                throw MoorError(.didNotTake, "\(volume.claim) restored on cluster \(cluster.id) differs from backup \(record.id): \(problem); the backup is kept at \(record.directory)")
            }
            if !existing.contains(volume.volume) {
                try await volumes.apply(volume.restoredVolume())
            }
            restored += 1
        }
        return "backup \(record.id): \(restored) claim(s) restored and verified on the node"
    }
}

/// Which backup `up` restores into a cluster it creates (`--restore ID`, `--no-restore`).
public enum RestoreChoice: Sendable, Equatable {
    case newest
    case none
    case id(String)
}
