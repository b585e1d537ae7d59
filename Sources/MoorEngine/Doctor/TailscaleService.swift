import MoorCore
import MoorSystem

/// `tailscale-service`: this host is approved to serve the lab's Tailscale Service, and is a
/// tagged node (since tailscale 1.92 untagged nodes cannot host services).
struct TailscaleService: DiagnosisKind {
    let lab: LabFile
    var id: String { "tailscale-service" }

    func skipReason(_ lab: LabFile) -> String? { lab.expose?.tailscale?.service == nil ? "no `expose.tailscale.service`" : nil }

    func observe(_ session: ObservationSession) async throws -> TailscaleStatus {
        let (runner, label) = session.hosts.runner(for: lab.expose?.tailscale?.host ?? lab.cluster?.host)
        return try TailscaleStatus.parse(try await runner.output(Tailscale.status(), host: label))
    }

    func verdict(_ evidence: TailscaleStatus) -> DiagnosisResult {
        evidence.verdict(service: lab.expose?.tailscale?.service ?? "")
    }
}
