import Foundation
import MoorCore
import MoorJournal
import MoorSystem

/// `moor backup`, `moor backups` and watch's schedule: each cluster's volumes streamed from
/// the node, checked file by file against the node's own manifest, kept to `backups.keep`.
public struct BackupEngine: Sendable {
    let lab: LabFile
    let labPath: String
    let context: MoorContext

    public init(lab: LabFile, labPath: String, context: MoorContext) {
        self.lab = lab
        self.labPath = labPath
        self.context = context
    }

    var journal: any Journal { context.journal }
    var spec: BackupsSpec { lab.backups ?? BackupsSpec() }

    /// Backs up one cluster: a verified backup journaled and pruned to `keep`, or an error
    /// after which nothing of this attempt is left but a journal row saying why.
    ///
    /// `only`: these claims (a move's); `purpose` says why (such a backup is kept apart).
    public func backup(_ cluster: ClusterSpec, run: RunHandle, only: Set<ClaimName>? = nil, purpose: String? = nil) async throws -> BackupRecord {
        let started = context.clock.now
        let createdAt = context.clock.date
        let id = BackupRecord.makeID(cluster: cluster.id, at: createdAt) + (purpose.map { "-" + $0.split(separator: " ").joined(separator: "-") } ?? "")
        let store = try BackupStore.resolve(lab.backups, context: context)
        let session = ObservationSession(lab: lab, labPath: labPath, context: context)
        let volumes = try ClusterVolumes(cluster, lab: lab, session: session)
        if let why = try await volumes.provider.notRunning(session) {
            throw MoorError(.refused, "cannot back up cluster `\(cluster.id)`: \(why)")
        }
        // The volumes and the PostgreSQL clusters are listed at once (each is a kubectl round trip).
        async let listing = volumes.volumes()
        async let databases = PostgresDumper(volumes: volumes).clusters()
        let (found, skipped) = try await listing
        for line in skipped { context.progress.note("not backed up: \(line)") }
        let chosen = found.filter { only?.contains($0.claim) ?? spec.volumes.includes($0.claim) }
        // Claims of a CloudNativePG cluster hold a running PostgreSQL: a logical dump instead.
        let postgres = try await databases.filter { $0.claims.contains { only?.contains($0) ?? spec.volumes.includes($0) } }
        let logical = Set(postgres.flatMap(\.claims))
        let fileVolumes = chosen.filter { !logical.contains($0.claim) }
        if only == nil, case .claims(let names) = spec.volumes {
            let missing = names.filter { name in !found.contains { $0.claim == name } }
            if !missing.isEmpty {
                throw MoorError(.notFound, "backups.volumes lists \(missing.map(\.description).joined(separator: ", ")), which cluster `\(cluster.id)` has no bound volume for (it has \(found.map(\.claim.description).joined(separator: ", ")))")
            }
        }
        var sizes: [Int] = []
        for volume in fileVolumes { sizes.append(try await volumes.size(volume)) }
        let needed = sizes.reduce(0, +) * 11 / 10 + (1 << 20)
        let lastGood = try journal.backups(cluster: cluster.id, includeFailed: false).first { $0.purpose == nil }
        let keptLine = lastGood.map { "; the last good backup \($0.id) is kept" } ?? ""
        if let free = store.freeBytes, free < needed {
            throw MoorError(.refused, "not enough room for the backup of cluster `\(cluster.id)`: its volumes hold \(BackupRecord.size(sizes.reduce(0, +))), so it needs about \(BackupRecord.size(needed)), and \(store.root) has \(BackupRecord.size(free)) free\(keptLine)")
        }
        try store.ensureClusterDirectory(cluster.id)
        let final = store.directory(cluster: cluster.id) + "/" + id
        let partial = final + ".partial"
        store.remove(partial)
        try context.files.ensureDirectory(partial)
        chmod(partial, 0o700)
        do {
            var claims: [BackupRecord.Claim] = []
            for volume in fileVolumes {
                context.progress.note("backing up \(volume.claim) (\(volume.path) on cluster \(cluster.id))")
                var claim = BackupRecord.Claim(volume: volume, kind: .files, bytes: 0, files: 0)
                // The node hashes every file while tar streams them: two readers of the same
                // (cached) files, on two cores, instead of one after the other.
                // The archive is checked as it streams in, on a thread of its own.
                let (manifestFile, archiveFile) = (partial + "/" + claim.manifest, partial + "/" + claim.archive)
                let writing = StreamFlag()
                let checking = BackupVerifier.following(archiveFile, while: writing)
                async let hashed: Void = volumes.run(VolumeCommands.manifest(volume.path), stdoutFile: manifestFile)
                do {
                    try await volumes.run(VolumeCommands.archive(volume.path), stdoutFile: archiveFile)
                } catch {
                    writing.finish()
                    _ = try? await checking.value
                    _ = try? await hashed
                    throw error
                }
                writing.finish()
                try await hashed
                let manifest = try BackupVerifier.check(claim, in: partial, files: context.files, archived: try await checking.value)
                claim.bytes = manifest.totalBytes
                claim.files = manifest.files.count
                claims.append(claim)
            }
            var dumps: [DatabaseDump] = []
            for cluster in postgres {
                let dump = try await PostgresDumper(volumes: volumes).dump(cluster, into: partial)
                dumps.append(dump)
                for claim in cluster.claims {
                    guard let volume = found.first(where: { $0.claim == claim }) else { continue }
                    claims.append(BackupRecord.Claim(volume: volume, kind: .logical, bytes: 0, files: 0))
                }
            }
            claims.sort { $0.volume.claim < $1.volume.claim }
            let bytes = claims.filter { $0.kind == .files }.reduce(0) { $0 + (Self.fileSize(partial + "/" + $1.archive)) } + dumps.reduce(0) { $0 + $1.bytes }
            let seconds = (context.clock.now - started).inMilliseconds / 1000
            var record = BackupRecord(id: id, cluster: cluster.id, createdAt: createdAt, directory: final, claims: claims, bytes: bytes,
                                      seconds: seconds, verified: true)
            record.dumps = dumps.isEmpty ? nil : dumps
            record.purpose = purpose
            try context.files.write(Array(try Self.encoder.encode(record)), to: partial + "/backup.json", mode: 0o600)
            guard rename(partial, final) == 0 else {
                throw MoorError(.refused, "could not move the backup into place (\(partial) → \(final)): \(String(cString: strerror(errno)))")
            }
            record.directory = final
            try journal.recordBackup(record)
            try run.record("backup:\(cluster.id)", action: "create", summary: "backup \(id): \(record.summary), verified")
            let pruned = purpose == nil ? try prune(cluster.id) : []
            if !pruned.isEmpty { context.progress.note("pruned to backups.keep: \(pruned.joined(separator: ", "))") }
            return record
        } catch {
            store.remove(partial)
            let interrupted = Interrupted.means(error) || Task.isCancelled
            var message = (error as? MoorError)?.message ?? String(describing: error)
            if !interrupted, let free = store.freeBytes, free < (1 << 20) {
                message = "the backup disk \(store.root) is full (\(message))"
            }
            let failed = BackupRecord(id: id, cluster: cluster.id, createdAt: createdAt, directory: final, claims: [], bytes: 0,
                                      seconds: (context.clock.now - started).inMilliseconds / 1000, verified: false,
                                      error: interrupted ? "interrupted" : message)
            try? journal.recordBackup(failed)
            if interrupted { throw error }
            throw MoorError(.didNotTake, "the backup of cluster `\(cluster.id)` failed: \(message); nothing of it is kept\(keptLine)")
        }
    }

    /// Deletes the verified backups `keep` no longer keeps, oldest first.
    func prune(_ cluster: String) throws -> [String] {
        let backups = try journal.backups(cluster: cluster, includeFailed: false).filter { $0.purpose == nil }
        let ids = BackupRetention.prune(backups.map { .init(id: $0.id, createdAt: $0.createdAt) }, keep: spec.keep)
        for id in ids {
            guard let record = backups.first(where: { $0.id == id }) else { continue }
            try? FileManager.default.removeItem(atPath: record.directory)
            try journal.markBackupPruned(id)
        }
        return ids
    }

    /// The backups kept, newest first (with failed attempts when `includeFailed`).
    public func list(cluster: String?, includeFailed: Bool = false) throws -> [BackupRecord] {
        try journal.backups(cluster: cluster, includeFailed: includeFailed)
    }

    /// Reads one backup back: every archive against its manifest.
    public func verify(_ id: String) throws -> BackupRecord {
        guard let record = try journal.backups(cluster: nil, includeFailed: true).first(where: { $0.id == id }) else {
            let known = (try? journal.backups(cluster: nil, includeFailed: false).prefix(5).map(\.id)) ?? []
            throw MoorError(.notFound, "no backup \(id) in the journal\(known.isEmpty ? "" : " (newest: \(known.joined(separator: ", ")))"); `moor backups` lists them")
        }
        guard record.verified else { throw MoorError(.refused, "backup \(id) failed when it was taken (\(record.error ?? "unknown")); nothing of it was kept") }
        for claim in record.claims where claim.kind == .files { _ = try BackupVerifier.check(claim, in: record.directory, files: context.files) }
        for dump in record.databaseDumps { try PostgresDumper.verify(dump, in: record.directory) }
        return record
    }

    /// Puts a backup's claims (all, or `claims`) back on its running cluster: each directory
    /// replaced (what was there is kept beside it), checked file by file; then its databases.
    public func restore(_ id: String, claims: [ClaimName], timeout: Duration) async throws -> [String] {
        let record = try verify(id)
        guard let cluster = lab.cluster(named: record.cluster) else {
            throw MoorError(.invalidInput, "backup \(id) is of cluster `\(record.cluster)`, which the lab file does not have")
        }
        let unknown = claims.filter { claim in !record.claims.contains { $0.volume.claim == claim } }
        if !unknown.isEmpty {
            throw MoorError(.usage, "backup \(id) holds no claim \(unknown.map(\.description).joined(separator: ", ")) (it holds \(record.claims.map(\.volume.claim.description).joined(separator: ", ")))")
        }
        let session = ObservationSession(lab: lab, labPath: labPath, context: context)
        let volumes = try ClusterVolumes(cluster, lab: lab, session: session)
        if let why = try await volumes.provider.notRunning(session) { throw MoorError(.refused, "cannot restore into cluster `\(cluster.id)`: \(why)") }
        let only = claims.isEmpty ? nil : Set(claims)
        var lines = [try await VolumeRestorer(lab: lab, session: session).restore(record, into: cluster, claims: only)]
        let dumper = PostgresDumper(volumes: volumes)
        for dump in record.databaseDumps where only == nil || dump.cluster.claims.contains(where: { only!.contains($0) }) {
            lines.append(try await dumper.restore(dump, from: record.directory, timeout: timeout))
        }
        return lines
    }

    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    static func fileSize(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
    }
}

/// One claim's archive against the manifest the node computed when it was taken.
enum BackupVerifier {
    /// The archive's manifest, computed on another thread while `flag` says it is written.
    static func following(_ archive: String, while flag: StreamFlag) -> Task<BackupManifest, any Error> {
        Task {
            try await withCheckedThrowingContinuation { continuation in
                DispatchQueue.global().async {
                    continuation.resume(with: Result { try TarManifest.compute(archive, following: { flag.active }) })
                }
            }
        }
    }

    /// `archived`: the archive's manifest when it was already computed (as it streamed in).
    @discardableResult
    static func check(_ claim: BackupRecord.Claim, in directory: String, files: any FileAccess, archived known: BackupManifest? = nil) throws -> BackupManifest {
        let archive = directory + "/" + claim.archive
        let expected: BackupManifest
        do {
            expected = try BackupManifest.parse(try files.read(directory + "/" + claim.manifest, limit: 256 << 20))
        } catch {
            throw MoorError(.refused, "the manifest of \(claim.volume.claim) (\(directory)/\(claim.manifest)) cannot be read: \(error)")
        }
        let archived: BackupManifest
        do {
            archived = try known ?? TarManifest.compute(archive)
        } catch {
            throw MoorError(.refused, "the archive \(archive) cannot be read: \(error)")
        }
        if let problem = expected.differences(from: archived).first {
            throw MoorError(.refused, "the archive \(archive) does not match the volume it was taken from: \(problem)")
        }
        return expected
    }
}

/// Whether a stream is still being written, read by the thread that checks it as it comes.
final class StreamFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var writing = true

    var active: Bool { lock.withLock { writing } }
    func finish() { lock.withLock { writing = false } }
}
