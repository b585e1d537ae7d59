import MoorCore
import MoorSystem

/// `pod-dns`: a short-lived pod resolves `kubernetes.default.svc.cluster.local`. The pod is
/// always deleted afterwards.
struct PodDNS: DiagnosisKind {
    let lab: LabFile
    var id: String { "pod-dns" }
    static let image = "busybox:1.36"

    struct Evidence: Sendable {
        var exitCode: Int32
        var output: [String]
    }

    func skipReason(_ lab: LabFile) -> String? { nil }
    var prerequisites: [Prerequisite] { [.runningCluster, .kubeContext] }

    func observe(_ session: ObservationSession) async throws -> Evidence {
        let kube = KubeAccess(lab: lab, context: session.context)
        let pod = "moor-doctor-dns-\(String(UInt32.random(in: 0...UInt32.max), radix: 36))"
        let result = try await kube.run(["run", pod, "--image=\(lab.doctorImage ?? Self.image)", "--restart=Never", "--rm", "-i", "--quiet", "--command", "--",
                                         "nslookup", "kubernetes.default.svc.cluster.local"])
        _ = try? await kube.run(["delete", "pod", pod, "--ignore-not-found", "--wait=false"], timeout: .seconds(30))
        let lines = (result.stdoutText + result.stderrText).split(separator: "\n").map(String.init).filter { !$0.isEmpty }
        return Evidence(exitCode: result.exitCode, output: Array(lines.prefix(8)))
    }

    func verdict(_ evidence: Evidence) -> DiagnosisResult {
        let shown = ["kubectl run … \(lab.doctorImage ?? Self.image) -- nslookup kubernetes.default.svc.cluster.local: exit \(evidence.exitCode)"] + evidence.output.map { "  " + $0 }
        if evidence.exitCode == 0 {
            return DiagnosisResult(id: id, verdict: .ok, summary: "a new pod resolves kubernetes.default.svc.cluster.local", evidence: shown)
        }
        return DiagnosisResult(id: id, verdict: .fail,
                               summary: "a new pod cannot resolve kubernetes.default.svc.cluster.local: \(evidence.output.last ?? "no output")",
                               evidence: shown,
                               fix: .init(text: "new pods cannot reach CoreDNS: see cni-conflict (a stale CNI config is the usual cause)", safe: false))
    }
}
