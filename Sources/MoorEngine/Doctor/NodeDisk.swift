import MoorCore
import MoorSystem

/// `node-disk`: `/var` in the node, where images and volumes live, is not nearly full.
struct NodeDisk: DiagnosisKind {
    let lab: LabFile
    var id: String { "node-disk" }

    func skipReason(_ lab: LabFile) -> String? { lab.cluster == nil ? "no `cluster` section" : nil }
    var prerequisites: [Prerequisite] { [.runningCluster] }

    func observe(_ session: ObservationSession) async throws -> DiskUsage? {
        guard let spec = lab.cluster, try await session.cluster(spec).state == .running else { return nil }
        let (runner, label) = session.clusterHost(spec)
        return try DiskUsage.parse(try await runner.output(Minikube.ssh(profile: spec.name, ["df", "-P", "/var"]), host: label))
    }

    func verdict(_ evidence: DiskUsage?) -> DiagnosisResult {
        evidence?.verdict() ?? .skipped(id, "the cluster is not running")
    }
}
