import Foundation
import Testing
import MoorStandIns
import MoorSystem
import MoorTestSupport

/// plan/up/check with the cluster host behind a real sshd: the stand-in tools are on the
/// remote side's PATH (sshd SetEnv), every command crosses ssh, one connection per run.
@Suite(.serialized) struct RemoteClusterTests {
    @Test func upOverSSHUsesOneConnectionAndKeepsHostileValuesIntact() async throws {
        let hostile = "/tmp/a b 'q' \"dq\" ;$(touch /tmp/moor-remote-pwned)\nline2"
        let lab = try Homelab(lab: Labs.seed(host: "indri", minikubeHome: hostile))
        let sshd = try await SSHServer.start(in: lab.scratch.path + "/sshd", environment: [
            "PATH": "\(lab.bin):/usr/bin:/bin", "MOOR_STANDIN_DIR": lab.world.directory,
        ])
        defer { sshd.stop() }
        let config = try lab.scratch.write("ssh_config", sshd.configBlock(alias: "indri"))
        _ = try lab.scratch.write("bin/ssh", "#!/bin/sh\nexec /usr/bin/ssh -F '\(config)' \"$@\"\n", mode: 0o755)

        let before = sshd.acceptedConnections
        let up = try await lab.moor("up")
        #expect(up.exit == 0, "\(up.stdout)\(up.stderr)")
        #expect(lab.world.calls().contains { $0.starts(with: ["minikube", "start"]) })
        #expect(!lab.world.minikubeHomes.isEmpty && lab.world.minikubeHomes.allSatisfy { $0 == hostile }, "MINIKUBE_HOME intact through ssh and the remote shell")
        #expect(!FileManager.default.fileExists(atPath: "/tmp/moor-remote-pwned"))
        #expect(sshd.acceptedConnections - before == 1, "one connection for the whole run, \(sshd.acceptedConnections - before) seen")

        let again = sshd.acceptedConnections
        let plan = try await lab.moor("plan")
        #expect(plan.exit == 0, "\(plan.stdout)\(plan.stderr)")
        #expect(sshd.acceptedConnections - again <= 1, "a later run reuses the persisted master or opens one")

        // Commands to the same host in `moor check` share the connection too.
        try lab.writeLab(Labs.seed(host: "indri", minikubeHome: hostile) + (0..<6).map { "  - name: c\($0)\n    on: indri\n    command: [echo, \"\($0)\"]\n" }
            .joined().replacingOccurrences(of: "  - name: c0", with: "checks:\n  - name: c0"))
        let checked = try await lab.moor("check")
        #expect(checked.exit == 0, "\(checked.stdout)")
    }
}
