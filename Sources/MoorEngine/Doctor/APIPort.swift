import MoorCore

/// `api-port`: the tailnet mapping forwards to the API server's current host port. Fix
/// (safe): the exposure step of `up`.
struct APIPort: DiagnosisKind {
    let lab: LabFile
    var id: String { "api-port" }

    var kind: ExposeKind? {
        guard let expose = lab.expose?.tailscale, let cluster = expose.cluster.flatMap(lab.cluster(named:)) ?? lab.cluster,
              let provider = try? ClusterProviders.provider(for: cluster) else { return nil }
        let host = expose.host ?? cluster.host
        return ExposeKind(spec: expose, cluster: provider, hostLabel: lab.host(named: host).ssh != nil ? host : nil)
    }

    func skipReason(_ lab: LabFile) -> String? {
        switch (lab.cluster, lab.expose?.tailscale) {
        case (nil, nil): "no `cluster` and no `expose.tailscale`"
        case (nil, _): "no `cluster`"
        case (_, nil): "no `expose.tailscale`: the API server is not exposed on the tailnet"
        default: nil
        }
    }
    var prerequisites: [Prerequisite] { [.runningCluster] }

    func observe(_ session: ObservationSession) async throws -> ObservedExposure {
        guard let kind else { return ObservedExposure(apiHostPort: nil, serve: nil) }
        return try await kind.observe(session)
    }

    func verdict(_ evidence: ObservedExposure) -> DiagnosisResult {
        guard let kind else { return .skipped(id, "no exposure") }
        let shown = ["API server host port: \(evidence.apiHostPort.map(String.init) ?? "unknown")",
                     "tailscale serve \(kind.spec.service ?? "node") tcp/\(kind.spec.port): \(evidence.target(kind.spec) ?? "not set")"]
        guard evidence.apiHostPort != nil else { return .skipped(id, "the cluster is not running, so it has no host port") }
        if let change = kind.diff(evidence, upstream: UpstreamChanges()).changes.first {
            return DiagnosisResult(id: id, verdict: .fail, summary: "the tailnet forwards to a port the API server no longer uses (Docker restarted)",
                                   evidence: shown, fix: .init(text: change.summary, safe: true))
        }
        return DiagnosisResult(id: id, verdict: .ok, summary: "the tailnet forwards to the API server's host port", evidence: shown)
    }

    func fix(_ evidence: ObservedExposure, context apply: ApplyContext) async throws {
        guard let kind else { return }
        try await kind.apply(kind.diff(evidence, upstream: UpstreamChanges()).changes, observed: evidence, context: apply)
    }
}
