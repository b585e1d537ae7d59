import Foundation
import MoorCore
import MoorProbe

/// `api-names`: the certificate the API server actually serves names every name of
/// `cluster.apiServer.names` and `remoteAccess.server`'s host. minikube sets them only when
/// it creates the cluster.
struct APINames: DiagnosisKind {
    let lab: LabFile
    var id: String { "api-names" }

    struct Evidence: Sendable {
        var target: String
        var sans: [String]?
        var failure: String?
    }

    var wanted: [String] {
        var names = lab.cluster?.apiServer.names ?? []
        if let server = lab.remoteAccess?.server, let host = ProbeTarget.parse(server)?.host, !names.contains(host) { names.append(host) }
        return names
    }

    func skipReason(_ lab: LabFile) -> String? {
        wanted.isEmpty ? "no `cluster.apiServer.names` or `remoteAccess.server`" : nil
    }

    func observe(_ session: ObservationSession) async throws -> Evidence {
        var target: ProbeTarget?
        if let server = lab.remoteAccess?.server, let parsed = ProbeTarget.parse(server) {
            target = ProbeTarget(kind: .tls, host: parsed.host, port: parsed.port)
        } else if let spec = lab.cluster, spec.host == nil, try await session.cluster(spec).state == .running,
                  let port = try await session.apiHostPort(spec) {
            target = ProbeTarget(kind: .tls, host: "127.0.0.1", port: port)
        }
        guard let target else { return Evidence(target: "", sans: nil, failure: "no address to reach the API server at") }
        let result = await session.context.prober.probe(ProbeRequest(target: target, timeout: .seconds(5), tls: TLSOptions(insecure: true)))
        return Evidence(target: target.description, sans: result.certificate?.sans, failure: result.certificate == nil ? result.failure?.message : nil)
    }

    func verdict(_ evidence: Evidence) -> DiagnosisResult {
        guard let sans = evidence.sans else {
            return .skipped(id, "could not read the served certificate (\(evidence.failure ?? "no answer"))")
        }
        let shown = ["served at \(evidence.target): \(sans.joined(separator: ", "))", "wanted: \(wanted.joined(separator: ", "))"]
        let missing = wanted.filter { !CertificateNames.matches($0, sans) }
        guard missing.isEmpty else {
            return DiagnosisResult(id: id, verdict: .fail, summary: "the API server's certificate lacks \(missing.joined(separator: ", "))",
                                   evidence: shown,
                                   fix: .init(text: "minikube sets certificate names only when it creates a cluster: `moor migrate` (keeps the volumes) or `moor up --allow-recreate`", safe: false))
        }
        return DiagnosisResult(id: id, verdict: .ok, summary: "the served certificate names \(wanted.joined(separator: ", "))", evidence: shown)
    }
}

/// Certificate name matching, as a client checks it.
enum CertificateNames {
    static func matches(_ name: String, _ sans: [String]) -> Bool {
        let wanted = name.lowercased()
        return sans.contains { san in
            let candidate = san.lowercased()
            if candidate == wanted { return true }
            guard candidate.hasPrefix("*."), let dot = wanted.firstIndex(of: ".") else { return false }
            return wanted[dot...] == candidate.dropFirst()
        }
    }
}
