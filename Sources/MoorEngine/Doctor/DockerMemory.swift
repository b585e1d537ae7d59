import MoorCore

/// `docker-memory`: Docker must have the cluster's memory plus about 1 GiB for itself.
struct DockerMemory: DiagnosisKind {
    let lab: LabFile
    var id: String { "docker-memory" }

    func skipReason(_ lab: LabFile) -> String? {
        guard let spec = lab.cluster else { return "no `cluster` section" }
        if spec.driver != .docker { return "the \(spec.driver) driver does not run in Docker" }
        return spec.memoryMiB == nil ? "no `cluster.memory` to compare with" : nil
    }

    func observe(_ session: ObservationSession) async throws -> Int {
        guard let spec = lab.cluster else { return 0 }
        return try await session.dockerMemoryMiB(spec)
    }

    func verdict(_ available: Int) -> DiagnosisResult {
        let wanted = (lab.cluster?.memoryMiB ?? 0) + ClusterDiff.dockerHeadroomMiB
        let shown = ["docker info MemTotal: \(available) MiB", "cluster.memory + headroom: \(wanted) MiB"]
        guard available < wanted else {
            return DiagnosisResult(id: id, verdict: .ok, summary: "Docker has \(available) MiB, enough for \(wanted) MiB", evidence: shown)
        }
        return DiagnosisResult(id: id, verdict: .fail, summary: "Docker has \(available) MiB; the cluster needs \(wanted) MiB with Docker's own",
                               evidence: shown,
                               fix: .init(text: "give Docker at least \(Int((Double(wanted) / 1024).rounded(.up))) GiB (Docker Desktop → Settings → Resources → Memory), or lower cluster.memory", safe: false))
    }
}
