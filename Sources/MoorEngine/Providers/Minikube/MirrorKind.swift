import MoorCore
import MoorJournal
import MoorSystem

/// `mirror:<registry>`: containerd's hosts.toml for each registry mirror, written in the
/// node atomically, content on stdin. With containerd, a restart is journaled before the
/// writes and run after them, so an interrupted run finishes it next time.
struct MirrorKind: ResourceKind {
    static let restartContainerd = "restart-containerd"

    let spec: ClusterSpec
    var kind: String { "mirror" }
    var scope: String? { spec.label }
    var unattended: Bool { true }
    var needs: [String] { ["cluster"] }
    var followUps: [String] { [Self.restartContainerd] }

    func observe(_ session: ObservationSession) async throws -> ObservedMirrors {
        let cluster = try await session.cluster(spec)
        let runtime = spec.containerRuntime ?? cluster.config?.containerRuntime ?? .docker
        guard cluster.state == .running || cluster.state == .error else { return ObservedMirrors(files: nil, runtime: runtime) }
        async let driver = runtime == .docker && !spec.registryMirrors.isEmpty ? session.storageDriver(spec) : nil
        let files = try await session.nodeFiles(spec).filter { $0.key != NodeCommands.apiServerCertificate }
        return ObservedMirrors(files: files, runtime: runtime, storageDriver: try await driver)
    }

    func diff(_ observed: ObservedMirrors, upstream: UpstreamChanges) -> KindPlan {
        MirrorDiff.diff(spec, observed, upstream: upstream)
    }

    func mirror(_ change: Change) -> RegistryMirror? {
        guard case .mirror(_, let registry) = change.id else { return nil }
        return spec.registryMirrors.first { $0.registry == registry }
    }

    func apply(_ changes: [Change], observed: ObservedMirrors, context apply: ApplyContext) async throws {
        let (runner, label) = apply.session.clusterHost(spec)
        if observed.runtime == .containerd {
            // Recorded before the files change: if this run dies half-way, the next one restarts.
            try apply.run.addFollowUp(kind: Self.restartContainerd, resource: ResourceID.cluster(spec.label).description,
                                      detail: "containerd in node \(spec.name) reloads registry hosts")
        }
        for change in changes {
            guard case .mirror(_, let registry) = change.id else { continue }
            let path = HostsToml.path(for: registry)
            if change.action == .remove {
                apply.context.progress.note("removing \(path)")
                _ = try await runner.output(Minikube.ssh(profile: spec.name, NodeCommands.removeFile(path)), host: label)
            } else if let mirror = mirror(change) {
                apply.context.progress.note("writing \(path)")
                let write = Minikube.ssh(profile: spec.name, NodeCommands.writeFile(path), stdin: Array(HostsToml.render(mirror).utf8))
                _ = try await runner.output(write, host: label)
            }
        }
    }

    func journal(_ change: Change, observed: ObservedMirrors) -> (before: String?, after: String?) {
        if change.action == .remove, case .mirror(_, let registry) = change.id {
            return (observed.files?[HostsToml.path(for: registry)], nil)
        }
        guard let mirror = mirror(change) else { return (nil, nil) }
        return (observed.files?[HostsToml.path(for: mirror.registry)], HostsToml.render(mirror))
    }

    func notTaken(_ change: Change, remaining: Change, now: ObservedMirrors) -> String {
        guard case .mirror(_, let registry) = change.id else { return "\(change.resource) was not changed in node \(spec.name)" }
        let path = HostsToml.path(for: registry)
        if change.action == .remove { return "\(path) in node \(spec.name) is still there after moor removed it" }
        return "\(path) in node \(spec.name) does not hold what moor wrote; run `minikube ssh -p \(spec.name) -- cat \(path)`"
    }

    func followUp(_ item: FollowUp, context apply: ApplyContext) async throws {
        let (runner, label) = apply.session.clusterHost(spec)
        apply.context.progress.note("restarting containerd in node \(spec.name) (\(item.detail))")
        _ = try await runner.output(Minikube.ssh(profile: spec.name, NodeCommands.restartContainerd()), host: label)
    }
}
