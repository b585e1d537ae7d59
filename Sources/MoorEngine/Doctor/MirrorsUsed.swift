import MoorCore

/// `mirrors-used`: with the docker runtime, kubelet pulls go through the node's dockerd, which
/// reads hosts.toml only with the containerd image store.
struct MirrorsUsed: DiagnosisKind {
    let lab: LabFile
    var id: String { "mirrors-used" }

    func skipReason(_ lab: LabFile) -> String? {
        (lab.cluster?.registryMirrors ?? []).isEmpty ? "no `cluster.registryMirrors`" : nil
    }
    var prerequisites: [Prerequisite] { [.runningCluster] }

    func observe(_ session: ObservationSession) async throws -> ObservedMirrors? {
        guard let spec = lab.cluster else { return nil }
        let cluster = try await session.cluster(spec)
        let runtime = spec.containerRuntime ?? cluster.config?.containerRuntime ?? .docker
        guard cluster.state == .running else { return nil }
        return ObservedMirrors(files: nil, runtime: runtime, storageDriver: runtime == .docker ? try await session.storageDriver(spec) : nil)
    }

    func verdict(_ evidence: ObservedMirrors?) -> DiagnosisResult {
        guard let evidence else { return .skipped(id, "the cluster is not running") }
        let shown = ["container runtime: \(evidence.runtime)"] + (evidence.storageDriver.map { ["node dockerd storage driver: \($0)"] } ?? [])
        guard MirrorDiff.runtimeWarning(evidence) != nil else {
            return DiagnosisResult(id: id, verdict: .ok, summary: "kubelet pulls read the mirrors' hosts.toml (\(evidence.runtime))", evidence: shown)
        }
        return DiagnosisResult(id: id, verdict: .fail, summary: "the mirrors' hosts.toml files are ignored: the docker runtime pulls through dockerd with the classic image store",
                               evidence: shown,
                               fix: .init(text: "either set `cluster.containerRuntime: containerd` (a recreate: `moor migrate`), or turn on the containerd image store in the node's dockerd (`\"features\": {\"containerd-snapshotter\": true}`)", safe: false))
    }
}
