import Foundation
import MoorStandIns
import MoorSystem
import MoorTestSupport

/// A two-cluster homelab: minikube on this machine (the stand-ins) and k3s on `ringtail`,
/// a real sshd on loopback whose `k3s`, `systemctl` and `sudo` are stand-ins over a root
/// directory in the scratch folder.
final class TwoClusterLab: @unchecked Sendable {
    let lab: Homelab
    let sshd: SSHServer
    let root: String
    let ca: TestIdentity
    let client: TestIdentity

    static func text(ringtailNames: [String] = ["ringtail.tail8d86e.ts.net"], ringtailMirror: String = "https://registry.ops.eblu.me",
                     ringtailServer: String = "https://ringtail.tail8d86e.ts.net:6443", extra: String = "") -> String {
        """
        version: 1
        hosts:
          ringtail:
            ssh: ringtail
        clusters:
          indri:
            provider: minikube
            profile: minikube
            driver: docker
            containerRuntime: containerd
            registryMirrors:
              - registry: docker.io
                mirror: https://registry.ops.eblu.me
          ringtail:
            provider: k3s
            host: ringtail
            apiServer:
              names: [\(ringtailNames.joined(separator: ", "))]
            registryMirrors:
              - registry: docker.io
                mirror: \(ringtailMirror)
                skipVerify: true
            remoteAccess:
              context: k3s-ringtail
              server: \(ringtailServer)
              path: ~/.kube/k3s-ringtail/config.yml
        \(extra)
        """
    }

    /// `realKubectl`: leave kubectl out of the stand-ins, for the real one against the API emulator.
    init(_ text: String = TwoClusterLab.text(), k3sActive: Bool = true, k3sInstalled: Bool = true, realKubectl: Bool = false) async throws {
        lab = try Homelab(lab: text, standIns: StandIn.tools.filter { !realKubectl || $0 != "kubectl" } + ["k3s", "sudo", "systemctl"])
        root = lab.scratch.path + "/ringtail"
        ca = try TestPKI.authority("k3s-server-ca")
        client = try TestPKI.leaf("system:admin", issuer: ca)
        try K3sStandIn.provision(root: root, version: k3sInstalled ? K3sStandIn.defaultVersion : nil, active: k3sActive && k3sInstalled, kubeconfig: Self.k3sYAML(ca: ca, client: client))
        sshd = try await SSHServer.start(in: lab.scratch.path + "/sshd", environment: [
            "PATH": "\(lab.bin):/usr/bin:/bin", "MOOR_STANDIN_DIR": lab.world.directory, "MOOR_STANDIN_ROOT": root,
        ])
        let config = try lab.scratch.write("ssh_config", sshd.configBlock(alias: "ringtail"))
        _ = try lab.scratch.write("bin/ssh", "#!/bin/sh\nexec /usr/bin/ssh -F '\(config)' \"$@\"\n", mode: 0o755)
    }

    deinit { sshd.stop() }

    /// k3s.yaml as k3s writes it (Tests/Fixtures/k3s/k3s.yaml), with this test's certificates.
    static func k3sYAML(ca: TestIdentity, client: TestIdentity) throws -> String {
        let fixture = try Fixtures.text("k3s/k3s.yaml")
        func b64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }
        return fixture
            .replacingOccurrences(of: "CA_DATA", with: b64(ca.certificatePEM))
            .replacingOccurrences(of: "CLIENT_CERT_DATA", with: b64(client.certificatePEM))
            .replacingOccurrences(of: "CLIENT_KEY_DATA", with: b64(client.keyPEM))
    }

    func file(_ path: String) -> String? { try? String(contentsOfFile: root + path, encoding: .utf8) }
    var restarts: [String] { K3sStandIn.restarts(root: root) }

    /// The files moor wrote on ringtail, in order (`sudo -n sh -c <write script> sh PATH`).
    func writes() -> [String] {
        lab.world.calls().filter { $0.first == "sudo" && $0.contains { $0.contains("moor-tmp") } }.compactMap(\.last)
    }
}
