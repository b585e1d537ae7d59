import Foundation
import MoorCore
import MoorJournal
import MoorSystem

/// `cluster` of a k3s cluster, with its `mirror:` resources: k3s installed and active, the
/// lab file's certificate names (moor's config drop-in) and registry mirrors
/// (registries.yaml). Everything that needs a restart is written first and k3s restarts
/// once; the restart is journaled before the writes, so an interrupted run restarts next
/// time. Verified by reading what k3s rendered (hosts.toml, its serving certificate).
struct K3sKind: ResourceKind {
    static let restartK3s = "restart-k3s"

    let spec: ClusterSpec
    var kind: String { "cluster" }
    var scope: String? { spec.label }
    var unattended: Bool { true }
    var followUps: [String] { [Self.restartK3s] }

    func observe(_ session: ObservationSession) async throws -> ObservedK3s {
        try await session.k3s(spec)
    }

    func diff(_ observed: ObservedK3s, upstream: UpstreamChanges) -> KindPlan {
        K3sDiff.diff(spec, observed)
    }

    var where_: String { spec.host ?? "this machine" }

    func apply(_ changes: [Change], observed: ObservedK3s, context apply: ApplyContext) async throws {
        if let elsewhere = changes.first(where: { $0.action == .managedElsewhere }) {
            throw MoorError(.managedElsewhere, elsewhere.summary)
        }
        let (runner, label) = apply.session.hosts.runner(for: spec.host)
        if !observed.host.installed {
            guard let install = spec.install else {
                throw MoorError(.toolMissing, "k3s is not installed on \(where_): install it there (`curl -sfL https://get.k3s.io | sh -`, see https://docs.k3s.io/quick-start), or add `install: {version: v1.33.4+k3s1}` to cluster `\(spec.id)` for moor to install it")
            }
            try VolumesKind.markPending(spec, apply)
            return try await self.install(install, runner, label, apply)
        }
        let clusterUpdate = changes.contains { $0.id.isCluster && $0.action == .update && $0.fields["tls-san"] != nil || $0.fields["https-listen-port"] != nil }
        let mirrorsWritten = changes.contains { if case .mirror = $0.id { $0.fields["endpoint"] != nil } else { false } }
        let restart = clusterUpdate || mirrorsWritten || changes.contains { $0.action == .update }
        if restart {
            let followUp = try apply.run.addFollowUp(kind: Self.restartK3s, resource: ResourceID.cluster(spec.label).description,
                                                     detail: "k3s on \(where_) reads its configuration and registries.yaml")
            if clusterUpdate {
                apply.context.progress.note("writing \(K3sPaths.moorConfig) on \(where_)")
                _ = try await sudo(K3s.writeFile(K3sPaths.moorConfig, K3sFiles.dropIn(names: spec.apiServer.names, port: spec.apiServer.port)), runner, label)
            }
            if mirrorsWritten {
                apply.context.progress.note("writing \(K3sPaths.registries) on \(where_)")
                _ = try await sudo(K3s.writeFile(K3sPaths.registries, K3sFiles.registries(spec.registryMirrors)), runner, label)
            }
            try await restartAndWait(runner, label, progress: apply.context)
            try apply.context.journal.completeFollowUp(followUp)
        } else if changes.contains(where: { $0.action == .start }) {
            apply.context.progress.note("starting k3s on \(where_)")
            _ = try await sudo(K3s.unit("start"), runner, label)
            try await waitActive(runner, label, context: apply.context)
        }
    }

    /// Writes moor's files first (k3s reads them at its first start, so the new k3s is
    /// already as the lab file says), then runs the install script on the host, then waits
    /// for the unit and the node.
    func install(_ install: ClusterInstall, _ runner: any CommandRunner, _ label: String?, _ apply: ApplyContext) async throws {
        let script = try await installScript(install, apply)
        if !spec.apiServer.names.isEmpty || spec.apiServer.port != nil {
            _ = try await sudo(K3s.writeFile(K3sPaths.moorConfig, K3sFiles.dropIn(names: spec.apiServer.names, port: spec.apiServer.port)), runner, label)
        }
        if !spec.registryMirrors.isEmpty {
            _ = try await sudo(K3s.writeFile(K3sPaths.registries, K3sFiles.registries(spec.registryMirrors)), runner, label)
        }
        apply.context.progress.note("installing k3s \(install.version) on \(where_) (\(install.script), run there on stdin)")
        _ = try await sudo(K3s.install(script: script, version: install.version), runner, label)
        try await waitActive(runner, label, context: apply.context)
        let deadline = apply.context.clock.now + .seconds(300)
        while apply.context.clock.now < deadline {
            let result = try await runner.run(K3s.nodes())
            if result.exitCode == 0, NodeReadiness.allReady(result.stdoutText) { return apply.context.progress.note("k3s on \(where_) is Ready") }
            try await apply.context.clock.sleep(for: .seconds(1))
        }
        throw MoorError(.didNotTake, "k3s on \(where_) was installed but its node is not Ready after 300 s; see `sudo k3s kubectl describe nodes` there")
    }

    /// The script's bytes: a path beside the lab file, or an https URL downloaded once into
    /// the state directory (a later install reuses it).
    func installScript(_ install: ClusterInstall, _ apply: ApplyContext) async throws -> [UInt8] {
        let context = apply.context
        var path = install.script
        if install.script.hasPrefix("https://") {
            let directory = context.stateDirectory + "/k3s"
            try context.files.ensureDirectory(directory)
            path = directory + "/install-" + String(Digest.sha256(Array(install.script.utf8)).prefix(16)) + ".sh"
            if !context.files.exists(path) {
                context.progress.note("downloading \(install.script)")
                let result = try await context.runner.run(Curl.download(install.script, to: path + ".download"))
                guard result.exitCode == 0 else {
                    throw MoorError(.toolFailed, "could not download \(install.script) (\(result.firstStderrLine ?? "curl exit \(result.exitCode)")); fetch it on a machine that can and set `install.script` to the file's path")
                }
                guard rename(path + ".download", path) == 0 else { throw MoorError(.io, "could not keep the downloaded install script at \(path)") }
            }
        } else if !path.hasPrefix("/") {
            path = (apply.session.labPath as NSString).deletingLastPathComponent + "/" + path
        }
        guard context.files.exists(path) else { throw MoorError(.notFound, "the k3s install script \(path) (install.script) does not exist") }
        return try context.files.read(path, limit: 1 << 20)
    }

    func restartAndWait(_ runner: any CommandRunner, _ label: String?, progress context: MoorContext) async throws {
        context.progress.note("restarting k3s on \(where_) (once, for every change above)")
        _ = try await sudo(K3s.unit("restart"), runner, label)
        try await waitActive(runner, label, context: context)
    }

    /// `systemctl is-active k3s` until it says active (k3s takes a few seconds to start).
    func waitActive(_ runner: any CommandRunner, _ label: String?, context: MoorContext) async throws {
        let deadline = context.clock.now + .seconds(180)
        var last = "unknown"
        while context.clock.now < deadline {
            let result = try await runner.run(K3s.isActive())
            last = result.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
            if last == "active" { return }
            try await context.clock.sleep(for: .milliseconds(500))
        }
        throw MoorError(.didNotTake, "k3s on \(where_) is \(last) 180 s after it was started; see `journalctl -u k3s` there")
    }

    func sudo(_ command: Command, _ runner: any CommandRunner, _ label: String?) async throws -> CommandResult {
        let result = try await runner.run(command)
        guard result.exitCode == 0 else {
            if let problem = K3s.sudoProblem(result, host: label) { throw MoorError(.refused, problem) }
            throw MoorError.toolFailed(command, result, host: label)
        }
        return result
    }

    func journal(_ change: Change, observed: ObservedK3s) -> (before: String?, after: String?) {
        if case .mirror = change.id {
            return (observed.host.files[K3sPaths.registries]?.text, K3sFiles.registries(spec.registryMirrors))
        }
        if change.fields["tls-san"] != nil || change.fields["https-listen-port"] != nil {
            return (observed.host.files[K3sPaths.moorConfig]?.text, K3sFiles.dropIn(names: spec.apiServer.names, port: spec.apiServer.port))
        }
        return (change.fields.isEmpty ? nil : JSONText.fields(change.fields.compactMapValues(\.from)),
                change.fields.isEmpty ? nil : JSONText.fields(change.fields.mapValues(\.to)))
    }

    func notTaken(_ change: Change, remaining: Change, now: ObservedK3s) -> String {
        if case .mirror(_, let registry) = change.id {
            return "k3s on \(where_) did not take the mirror for \(registry): \(remaining.summary); see \(K3sPaths.renderedHostsToml(for: registry)) there"
        }
        return "k3s on \(where_) still differs after the restart: \(remaining.summary); see `journalctl -u k3s` there"
    }

    func followUp(_ item: FollowUp, context apply: ApplyContext) async throws {
        let (runner, label) = apply.session.hosts.runner(for: spec.host)
        try await restartAndWait(runner, label, progress: apply.context)
    }
}
