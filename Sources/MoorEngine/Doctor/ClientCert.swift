import Foundation
import MoorCore
import MoorProbe
import MoorSystem

/// `client-cert`: the kubeconfig's client certificate and the cluster CA are not expired and
/// do not expire within 30 days.
struct ClientCert: DiagnosisKind {
    let lab: LabFile
    var id: String { "client-cert" }

    struct Evidence: Sendable {
        var source: String
        var certificates: [(what: String, subject: String, notAfter: Date)]
        var now: Date
        /// Why there is nothing to look at.
        var missing: String? = nil
    }

    var contextName: String? { lab.remoteAccess?.context ?? lab.kubectlContext }

    func skipReason(_ lab: LabFile) -> String? { contextName == nil ? LabFile.noKubectlContext : nil }

    func observe(_ session: ObservationSession) async throws -> Evidence {
        let context = session.context
        guard let name = contextName else { return Evidence(source: "", certificates: [], now: context.clock.date) }
        var paths: [String] = []
        if let access = lab.remoteAccess, access.context == name { paths.append(Files.expandTilde(access.path, home: context.home)) }
        paths += (context.environment["KUBECONFIG"] ?? "").split(separator: ":").map(String.init)
        paths.append(context.home + "/.kube/config")
        for path in paths {
            guard let text = try? context.files.readText(path, limit: 4 << 20), let config = try? Kubeconfig.parse(text),
                  config.contexts[name] != nil else { continue }
            let (cluster, user) = try config.resolve(context: name)
            let base = (path as NSString).deletingLastPathComponent
            func material(_ data: [UInt8]?, _ file: String?) -> [UInt8]? {
                if let data { return data }
                guard let file else { return nil }
                return try? context.files.read(file.hasPrefix("/") ? file : base + "/" + file, limit: 1 << 20)
            }
            var found: [(String, String, Date)] = []
            for (what, pem) in [("client certificate", material(user?.clientCertificateData, user?.clientCertificate)),
                                ("cluster CA", material(cluster.certificateAuthorityData, cluster.certificateAuthority))] {
                for (subject, notAfter) in ClientIdentity.expiries(inPEM: pem ?? []) { found.append((what, subject, notAfter)) }
            }
            return Evidence(source: "\(path) context \(name)", certificates: found, now: context.clock.date)
        }
        return Evidence(source: "", certificates: [], now: context.clock.date,
                        missing: "no kubeconfig here defines the context `\(name)` (looked in \(paths.joined(separator: ", "))); run `moor kubeconfig --merge`")
    }

    func verdict(_ evidence: Evidence) -> DiagnosisResult {
        if let missing = evidence.missing { return .skipped(id, missing) }
        guard !evidence.certificates.isEmpty else {
            return .skipped(id, evidence.source.isEmpty ? LabFile.noKubectlContext
                : "\(evidence.source) has no client certificate or CA to check (token or exec authentication)")
        }
        let formatter = ISO8601DateFormatter()
        let days = { (date: Date) in Int((date.timeIntervalSince(evidence.now) / 86_400).rounded(.down)) }
        let shown = [evidence.source] + evidence.certificates.map { "\($0.what) \($0.subject): expires \(formatter.string(from: $0.notAfter)) (\(days($0.notAfter)) days)" }
        let fix = DiagnosisResult.Fix(text: "renew: `minikube update-context -p \(lab.cluster?.name ?? "minikube")` on the cluster host (minikube renews its certificates on start), then `moor kubeconfig`", safe: false)
        if let expired = evidence.certificates.first(where: { $0.notAfter <= evidence.now }) {
            return DiagnosisResult(id: id, verdict: .fail, summary: "the \(expired.what) expired \(-days(expired.notAfter)) days ago", evidence: shown, fix: fix)
        }
        if let soon = evidence.certificates.filter({ days($0.notAfter) < 30 }).min(by: { $0.notAfter < $1.notAfter }) {
            return DiagnosisResult(id: id, verdict: .warn, summary: "the \(soon.what) expires in \(days(soon.notAfter)) days", evidence: shown, fix: fix)
        }
        return DiagnosisResult(id: id, verdict: .ok, summary: "certificates valid for \(evidence.certificates.map { days($0.notAfter) }.min() ?? 0) more days", evidence: shown)
    }
}
