import Foundation
import MoorCore
import MoorJournal
import MoorSystem

extension Mover {
    func spec(_ id: String) throws -> ClusterSpec {
        guard let spec = lab.cluster(named: id) else { throw MoorError(.invalidInput, "the lab file no longer has cluster `\(id)`, which this move involves") }
        return spec
    }

    func volumes(_ id: String) throws -> ClusterVolumes {
        try ClusterVolumes(try spec(id), lab: lab, session: ObservationSession(lab: lab, labPath: labPath, context: context))
    }

    func backupRecord(_ plan: AppMove) throws -> BackupRecord? {
        guard let id = plan.backup else { return nil }
        guard let record = try journal.backups(cluster: nil, includeFailed: false).first(where: { $0.id == id }) else {
            throw MoorError(.notFound, "backup \(id) of this move is no longer in the journal")
        }
        return record
    }

    func patch(_ app: String, _ patch: [String: Any]) async throws {
        let engine = try apps()
        let text = String(decoding: try JSONSerialization.data(withJSONObject: patch, options: [.sortedKeys]), as: UTF8.self)
        _ = try await KubectlRun.output(KubectlGitOps.patchApplication(context: engine.kubeContext, namespace: engine.spec.namespace, name: app, type: "merge", patch: text),
                                        runner: context.runner, context: engine.kubeContext)
    }

    func perform(_ step: Step, _ plan: inout AppMove, record: Int64, options: UpOptions, run: RunHandle) async throws -> String? {
        switch step {
        case .backup:
            let source = try volumes(plan.from)
            let claims = Set(try await source.volumes().volumes.map(\.claim).filter { $0.namespace == plan.namespace })
            guard !claims.isEmpty else { return "no claims in namespace \(plan.namespace) on cluster \(plan.from): nothing to carry" }
            let backup = try await BackupEngine(lab: lab, labPath: labPath, context: context)
                .backup(try spec(plan.from), run: run, only: claims, purpose: "move \(plan.app)")
            plan.backup = backup.id
            return "backup \(backup.id): \(backup.summary), verified"

        case .retarget:
            try await patch(plan.app, ["spec": ["destination": ["server": plan.toServer, "name": NSNull()], "syncPolicy": NSNull()]])
            return "destination \(plan.fromServer) → \(plan.toServer), automated sync paused"

        case .restore:
            guard let backup = try backupRecord(plan) else { return "no claims to restore" }
            let target = try volumes(plan.to)
            for claim in backup.claims where claim.kind == .files { try BackupVerifier.check(claim, in: backup.directory, files: context.files) }
            for dump in backup.databaseDumps { try PostgresDumper.verify(dump, in: backup.directory) }
            let placement = try await VolumePlacement.read(target)
            try await target.apply(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": plan.namespace]])
            let existing = Dictionary(try await target.volumes().volumes.map { ($0.claim, $0) }, uniquingKeysWith: { first, _ in first })
            var restored: [String] = []
            for claim in backup.claims where claim.kind == .files {
                var volume = claim.volume
                if let already = existing[volume.claim] {
                    volume = already
                } else {
                    volume.path = placement.path(for: volume.claim, volume: volume.volume)
                    volume.storageClass = placement.storageClass
                }
                try await target.run(VolumeCommands.restore(volume.path, stamp: BackupRecord.makeID(cluster: "move", at: context.clock.date)),
                                     stdinFile: backup.directory + "/" + claim.archive)
                try await checkOnNode(target, claim, path: volume.path, backup: backup)
                if existing[volume.claim] == nil {
                    try await target.apply(volume.restoredVolume())
                    try await target.apply(Self.claimObject(volume))
                }
                restored.append("\(volume.claim) at \(volume.path)")
            }
            return restored.isEmpty ? "no file claims (databases follow once the app runs)" : "\(restored.count) claim(s) on cluster \(plan.to): \(restored.joined(separator: ", "))"

        case .resume:
            if let policy = plan.syncPolicy, let object = try? JSONSerialization.jsonObject(with: Data(policy.utf8)) {
                try await patch(plan.app, ["spec": ["syncPolicy": object]])
            }
            return plan.syncPolicy == nil ? "the app had no sync policy" : "sync policy back"

        case .healthy:
            let engine = try apps()
            // A sync asked for now and waited on: the status from before the retarget says nothing.
            let states = try await engine.settle([plan.app], known: try await engine.applications(), syncNow: [plan.app], timeout: options.waitTimeout)
            guard let state = states.first, state.ok else {
                let why = states.first.map { "\($0.sync), \($0.health)\($0.cause.map { " — \($0)" } ?? "")" } ?? "missing"
                throw MoorError(.didNotTake, "\(plan.app) is not Synced and Healthy on cluster \(plan.to) after \(DurationText.words(options.waitTimeout)) (\(why)); nothing was removed from \(plan.from): fix it and run `moor move \(plan.app)` again, or `moor move --back \(plan.app)`")
            }
            return "Synced and Healthy on cluster \(plan.to)"

        case .databases:
            guard let backup = try backupRecord(plan), !backup.databaseDumps.isEmpty else { return "no databases" }
            let dumper = PostgresDumper(volumes: try volumes(plan.to))
            var lines: [String] = []
            for dump in backup.databaseDumps { lines.append(try await dumper.restore(dump, from: backup.directory, timeout: options.waitTimeout)) }
            return lines.joined(separator: "; ")

        case .verify:
            guard let backup = try backupRecord(plan) else { return "no claims" }
            let target = try volumes(plan.to)
            let now = Dictionary(try await target.volumes().volumes.map { ($0.claim, $0) }, uniquingKeysWith: { first, _ in first })
            for claim in backup.claims where claim.kind == .files {
                guard let volume = now[claim.volume.claim] else {
                    throw MoorError(.didNotTake, "\(claim.volume.claim) has no bound volume on cluster \(plan.to); nothing was removed from \(plan.from)")
                }
                try await checkOnNode(target, claim, path: volume.path, backup: backup)
            }
            return "\(backup.claims.filter { $0.kind == .files }.count) claim(s) hold the backup's bytes on cluster \(plan.to)"

        case .cleanup:
            let source = try volumes(plan.from)
            var removed: [String] = []
            for resource in plan.resources where resource.kind != "Namespace" {
                _ = try await source.kubectl(["delete", resource.kubectlType, resource.name, "--ignore-not-found", "--wait=false"]
                                             + (resource.namespace.map { ["-n", $0] } ?? []))
                removed.append("\(resource.kind) \(resource.name)")
            }
            for claim in try backupRecord(plan)?.claims ?? [] {
                _ = try await source.kubectl(["-n", claim.volume.claim.namespace, "delete", "persistentvolumeclaims", claim.volume.claim.name, "--ignore-not-found", "--wait=false"])
                removed.append("claim \(claim.volume.claim)")
            }
            return removed.isEmpty ? "nothing of \(plan.app) was on cluster \(plan.from)" : "removed from cluster \(plan.from): \(removed.joined(separator: ", "))"
        }
    }

    /// The claim's directory on the node against the backup's manifest.
    func checkOnNode(_ target: ClusterVolumes, _ claim: BackupRecord.Claim, path: String, backup: BackupRecord) async throws {
        if let problem = try await target.difference(claim, at: path, backup: backup) {
            throw MoorError(.didNotTake, "\(claim.volume.claim) on cluster \(target.spec.id) (\(path)) differs from backup \(backup.id): \(problem); nothing was removed from the source")
        }
    }

    static func claimObject(_ volume: ClaimVolume) -> [String: Any] {
        ["apiVersion": "v1", "kind": "PersistentVolumeClaim",
         "metadata": ["name": volume.claim.name, "namespace": volume.claim.namespace],
         "spec": ["accessModes": volume.accessModes, "storageClassName": volume.storageClass, "volumeName": volume.volume,
                  "resources": ["requests": ["storage": volume.capacity.isEmpty ? "1Gi" : volume.capacity]]] as [String: Any]]
    }
}
