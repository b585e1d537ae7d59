import Foundation
import MoorCore
import MoorSystem

/// `nfs-exports`: each export of `storage.nfs` mounts, read-only, in a short-lived pod. Docker's
/// NAT makes the server see the host's LAN address, so the export must allow that subnet.
struct NFSExports: DiagnosisKind {
    let lab: LabFile
    var id: String { "nfs-exports" }

    struct Mount: Sendable {
        var export: NFSExport
        var exitCode: Int32
        var output: [String]
    }

    func skipReason(_ lab: LabFile) -> String? { (lab.storage?.nfs ?? []).isEmpty ? "no `storage.nfs`" : nil }
    var prerequisites: [Prerequisite] { [.runningCluster, .kubeContext] }

    func observe(_ session: ObservationSession) async throws -> [Mount] {
        let kube = KubeAccess(lab: lab, context: session.context)
        var mounts: [Mount] = []
        for export in lab.storage?.nfs ?? [] {
            let pod = "moor-doctor-nfs-\(String(UInt32.random(in: 0...UInt32.max), radix: 36))"
            let result = try await kube.run(["run", pod, "--image=\(lab.doctorImage ?? PodDNS.image)", "--restart=Never", "--rm", "-i", "--quiet",
                                             "--overrides=\(Self.overrides(pod: pod, export: export, image: lab.doctorImage ?? PodDNS.image))", "--command", "--", "ls", "/mnt/nfs"])
            _ = try? await kube.run(["delete", "pod", pod, "--ignore-not-found", "--wait=false"], timeout: .seconds(30))
            let lines = (result.stdoutText + result.stderrText).split(separator: "\n").map(String.init).filter { !$0.isEmpty }
            mounts.append(Mount(export: export, exitCode: result.exitCode, output: Array(lines.prefix(6))))
        }
        return mounts
    }

    /// The pod with the export mounted read-only at /mnt/nfs, as one JSON argument.
    static func overrides(pod: String, export: NFSExport, image: String) -> String {
        let spec: [String: Any] = ["spec": [
            "containers": [["name": pod, "image": image, "command": ["ls", "/mnt/nfs"], "stdin": true, "stdinOnce": true,
                            "volumeMounts": [["name": "nfs", "mountPath": "/mnt/nfs", "readOnly": true]]]],
            "volumes": [["name": "nfs", "nfs": ["server": export.server, "path": export.export, "readOnly": true]]],
        ]]
        return String(decoding: (try? JSONSerialization.data(withJSONObject: spec, options: [.sortedKeys])) ?? Data(), as: UTF8.self)
    }

    func verdict(_ mounts: [Mount]) -> DiagnosisResult {
        let shown = mounts.flatMap { mount in ["\(mount.export.name) \(mount.export.server):\(mount.export.export): exit \(mount.exitCode)"] + mount.output.map { "  " + $0 } }
        let failed = mounts.filter { $0.exitCode != 0 }
        guard !failed.isEmpty else {
            return DiagnosisResult(id: id, verdict: .ok, summary: "\(mounts.count) export(s) mount read-only in a pod", evidence: shown)
        }
        let described = failed.map { mount in
            let answer = mount.output.first { $0.contains("mount.nfs") || $0.contains("denied") }
                ?? mount.output.first { $0.contains("mount") } ?? mount.output.last ?? "no output"
            let clients = mount.export.clients.isEmpty ? "" : " (the lab says these clients need access: \(mount.export.clients.joined(separator: ", ")))"
            return "\(mount.export.name): \(answer)\(clients)"
        }
        return DiagnosisResult(id: id, verdict: .fail, summary: described.joined(separator: "; "), evidence: shown,
                               fix: .init(text: "allow the cluster host's LAN address (Docker NATs pod traffic) in the NAS's NFS export rules for \(failed.map { "\($0.export.server):\($0.export.export)" }.joined(separator: ", "))", safe: false))
    }
}
