import MoorCore
import MoorSystem

/// `node-disk`: `/var` in the node, where images and volumes live, is not nearly full.
struct NodeDisk: DiagnosisKind {
    let lab: LabFile
    var id: String { "node-disk" }

    func skipReason(_ lab: LabFile) -> String? { lab.cluster == nil ? "no `cluster` section" : nil }
    var prerequisites: [Prerequisite] { [.runningCluster] }

    func observe(_ session: ObservationSession) async throws -> DiskUsage? {
        guard let spec = lab.cluster else { return nil }
        let provider = try ClusterProviders.provider(for: spec)
        guard try await provider.notRunning(session) == nil else { return nil }
        return try DiskUsage.parse(try await provider.onNode(["df", "-P", provider.dataDirectory], session))
    }

    func verdict(_ evidence: DiskUsage?) -> DiagnosisResult {
        evidence?.verdict() ?? .skipped(id, "the cluster is not running")
    }
}
