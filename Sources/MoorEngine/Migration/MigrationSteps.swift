import Foundation
import MoorCore
import MoorJournal
import MoorSystem

extension Migrator {
    /// Runs the steps not done yet, journaling each when it completes.
    func execute(_ migration: Migration, target: ClusterSpec, restoreFrom: String?, labForConverge: LabFile, dryRun: Bool,
                 options: UpOptions, run: RunHandle) async throws -> MigrationReport {
        var migration = migration
        let from = migration.snapshot.flatMap { try? JSONDecoder().decode(MinikubeProfiles.ProfileConfig.self, from: Data($0.utf8)) }
            .map { ClusterSpec.recreating($0, like: target).settingsText } ?? (lab.cluster?.settingsText ?? "")
        var report = MigrationReport(migration: migration.id, kind: migration.kind.description, from: migration.kind == .migrate ? from : (lab.cluster?.settingsText ?? ""),
                                     to: target.settingsText, steps: [], checks: nil, labStillAsks: [])
        let backup = context.stateDirectory + "/backups/\(migration.id)"
        // A backup taken by an earlier run may have changed since: it is checked again right
        // before the delete. One taken (and checked) by this run is not read twice.
        var checkedThisRun = false
        for step in Step.allCases {
            if migration.done(step.rawValue) {
                report.steps.append(.init(name: step.rawValue, state: .alreadyDone, detail: migration.detail(step.rawValue), seconds: nil))
                continue
            }
            let start = context.clock.now
            context.progress.note("\(migration.kind) \(migration.id), step \(step.rawValue): \(step.describe)")
            let detail = try await perform(step, migration: migration, target: target, backup: backup, restoreFrom: restoreFrom ?? backup,
                                           labForConverge: labForConverge, options: options, run: run, checked: checkedThisRun, report: &report)
            if step == .backup { checkedThisRun = true }
            try journal.completeStep(step.rawValue, detail: detail, migration: migration.id)
            migration.steps.append(.init(name: step.rawValue, detail: detail))
            let seconds = (context.clock.now - start).inMilliseconds / 1000
            try run.record("step:\(step.rawValue)", action: "done", summary: "\(step.rawValue) in \(String(format: "%.1f", seconds)) s\(detail.map { ": \($0)" } ?? "")")
            report.steps.append(.init(name: step.rawValue, state: .done, detail: detail, seconds: seconds))
        }
        try journal.finishMigration(migration.id)
        run.conclude(.ok, detail: "\(migration.kind) \(migration.id) finished")
        return report
    }

    func perform(_ step: Step, migration: Migration, target: ClusterSpec, backup: String, restoreFrom: String, labForConverge: LabFile,
                 options: UpOptions, run: RunHandle, checked: Bool, report: inout MigrationReport) async throws -> String? {
        let session = ObservationSession(lab: lab, labPath: labPath, context: context)
        let (runner, label) = session.clusterHost(target)
        switch step {
        case .preflight:
            return try await preflight(target, session: session)
        case .snapshot:
            let observed = try await session.cluster(target)
            return observed.config.map { ClusterSpec.recreating($0, like: target).settingsText }
        case .backup:
            return try await takeBackup(target, into: backup, migration: migration.id, session: session)
        case .delete:
            if !checked { try verify(backup) }
            context.progress.note("deleting cluster \(target.name)")
            _ = try await runner.output(Minikube.delete(profile: target.name), host: label)
            return checked ? "the backup was verified by this run" : "the backup matched its manifest again right before"
        case .create:
            context.progress.note("creating cluster \(target.name) (\(target.settingsText))")
            _ = try await runner.output(Minikube.start(target), host: label)
            return target.settingsText
        case .restore:
            return try await restore(from: restoreFrom, target: target, session: session)
        case .converge:
            let engine = try ResourceEngine(lab: labForConverge, labPath: labPath, context: context)
            let converged = try await engine.up(options, run: run)
            return "\(converged.applied.count) change(s) applied"
        case .checks:
            guard !lab.checks.isEmpty else { return "no checks in the lab file" }
            let checks = await CheckRunner(lab: lab, context: context, labPath: labPath).run(lab.checks)
            report.checks = checks.summary
            return "\(checks.summary.ok) ok, \(checks.summary.warn) warn, \(checks.summary.fail) fail"
        }
    }

    func preflight(_ target: ClusterSpec, session: ObservationSession) async throws -> String? {
        let source = lab.cluster ?? target
        var notes: [String] = []
        if target.driver == .docker {
            let memory = try await session.dockerMemoryMiB(target)
            if let wanted = target.memoryMiB, wanted + ClusterDiff.dockerHeadroomMiB > memory {
                throw MoorError(.refused, "cluster.memory \(wanted) MiB does not fit: Docker has \(memory) MiB and needs about \(ClusterDiff.dockerHeadroomMiB) MiB for itself; raise Docker's memory or lower cluster.memory")
            }
            notes.append("docker answers with \(memory) MiB")
        }
        let (runner, label) = session.clusterHost(source)
        let observed = try await session.cluster(source)
        if observed.state == .stopped || observed.state == .paused {
            context.progress.note("starting the old cluster \(source.name) to back it up")
            _ = try await runner.output(Minikube.restart(profile: source.name), host: label)
        }
        let sizeText = try await runner.output(Minikube.sshBinary(profile: source.name, NodeCommands.volumeSize()), host: label)
        guard let kib = Int(sizeText.split(whereSeparator: { $0 == "\t" || $0 == " " }).first ?? "") else {
            throw ToolOutputError(tool: "du -sk \(NodeCommands.volumes)", problem: "expected a size in KiB, got `\(sizeText.prefix(80))`")
        }
        let needed = kib * 1024 + kib * 1024 / 10
        try context.files.ensureDirectory(context.stateDirectory + "/backups")
        if let free = context.files.freeBytes(context.stateDirectory + "/backups"), free < needed {
            throw MoorError(.refused, "not enough room for the backup: the volumes hold \(kib / 1024) MiB, so the backup needs about \(needed >> 20) MiB, and \(context.stateDirectory) has \(free >> 20) MiB free; free some room or point MOOR_STATE_DIR at a larger disk")
        }
        notes.append("the volumes hold \(kib / 1024) MiB")
        return notes.joined(separator: "; ")
    }

    /// The node's manifest, then the tar stream into the state directory, checked against it.
    func takeBackup(_ target: ClusterSpec, into directory: String, migration: Int64, session: ObservationSession) async throws -> String? {
        let source = lab.cluster ?? target
        let (runner, label) = session.clusterHost(source)
        try context.files.ensureDirectory(directory)
        chmod(directory, 0o700)
        _ = try await runner.output(Minikube.sshBinary(profile: source.name, NodeCommands.volumeManifest(), stdoutFile: directory + "/manifest"), host: label)
        context.progress.note("backing up \(NodeCommands.volumes) into \(directory)/hostpath.tar")
        _ = try await runner.output(Minikube.sshBinary(profile: source.name, NodeCommands.archiveVolumes(), stdoutFile: directory + "/hostpath.tar"), host: label)
        let manifest = try verify(directory)
        var claims = "claims not listed"
        let kube = KubeAccess(lab: lab, context: context)
        if let listed = try? await kube.output(["get", "persistentvolumeclaims", "--all-namespaces", "-o",
                                                #"jsonpath={range .items[*]}{.metadata.namespace}/{.metadata.name} {.spec.resources.requests.storage} {.spec.storageClassName}{"\n"}{end}"#]) {
            try context.files.write(Array(listed.utf8), to: directory + "/claims", mode: 0o600)
            claims = "\(listed.split(separator: "\n").count) claim(s): \(listed.split(separator: "\n").prefix(5).joined(separator: ", "))"
        }
        try journal.setMigration(migration, snapshot: nil, backup: directory)
        return "\(manifest.files.count) file(s), \(manifest.totalBytes >> 20) MiB, verified; \(claims)"
    }

    /// The backup's archive against the manifest the node computed; a difference names the file.
    @discardableResult
    func verify(_ directory: String) throws -> BackupManifest {
        let expected = try BackupManifest.parse(try context.files.read(directory + "/manifest", limit: 256 << 20))
        let archived = try TarManifest.compute(directory + "/hostpath.tar")
        if let problem = expected.differences(from: archived).first {
            throw MoorError(.refused, "the backup \(directory)/hostpath.tar does not match the volumes it was taken from: \(problem); the cluster is not deleted")
        }
        return expected
    }

    func restore(from directory: String, target: ClusterSpec, session: ObservationSession) async throws -> String? {
        let (runner, label) = session.clusterHost(target)
        let expected = try BackupManifest.parse(try context.files.read(directory + "/manifest", limit: 256 << 20))
        context.progress.note("restoring \(directory)/hostpath.tar into \(NodeCommands.volumes) in node \(target.name)")
        _ = try await runner.output(Minikube.sshBinary(profile: target.name, NodeCommands.restoreVolumes(), stdinFile: directory + "/hostpath.tar"), host: label)
        let scratch = directory + "/restored-manifest"
        _ = try await runner.output(Minikube.sshBinary(profile: target.name, NodeCommands.volumeManifest(), stdoutFile: scratch), host: label)
        let restored = try BackupManifest.parse(try context.files.read(scratch, limit: 256 << 20))
        if let problem = expected.differences(from: restored).first {
            throw MoorError(.didNotTake, "the volumes restored in node \(target.name) differ from the backup: \(problem); the backup is kept at \(directory)")
        }
        return "\(restored.files.count) file(s) verified in the new node"
    }
}
