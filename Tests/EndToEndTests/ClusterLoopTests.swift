import Foundation
import Testing
import MoorCore
import MoorStandIns
import MoorTestSupport

/// The built `moor` against stand-in minikube, docker and tailscale.
@Suite(.serialized) struct ClusterLoopTests {
    @Test func freshCreateThenASecondUpDoesNothing() async throws {
        let lab = try Homelab(lab: Labs.seed())
        let plan = try await lab.moor("plan", "-o", "json")
        #expect(plan.exit == 2)
        let changes = try plan.json()["changes"] as? [[String: Any]] ?? []
        #expect(changes.map { $0["resource"] as? String } == ["cluster", "mirror:registry.tail8d86e.ts.net", "mirror:docker.io",
                                                             "mirror:ghcr.io", "mirror:quay.io", "expose:svc:k8s:443"])

        let up = try await lab.moor("up", "-o", "json")
        #expect(up.exit == 0, "\(up.stderr)")
        #expect((try up.json()["applied"] as? [Any])?.count == 6)
        let profile = try #require(lab.world.load().profiles["minikube"])
        #expect(profile.cpus == 6 && profile.memory == 11264 && profile.disk == 204800 && profile.runtime == "docker")
        #expect(profile.names == ["k8s.tail8d86e.ts.net", "indri"] && profile.apiServerPort == 6443 && profile.listenAddress == "0.0.0.0")
        let start = lab.world.calls().first { $0.starts(with: ["minikube", "start"]) }
        #expect(start == ["minikube", "start", "-p", "minikube", "--driver=docker", "--container-runtime=docker", "--cpus=6",
                          "--memory=11264mb", "--disk-size=200g", "--apiserver-names=k8s.tail8d86e.ts.net",
                          "--apiserver-names=indri", "--apiserver-port=6443", "--listen-address=0.0.0.0"])
        let quay = try #require(lab.nodeFile("/etc/containerd/certs.d/quay.io/hosts.toml"))
        #expect(HostsToml.isEquivalent(quay, to: RegistryMirror(registry: "quay.io", mirror: "http://host.minikube.internal:5050", skipVerify: true)))
        #expect(lab.world.load().serveServices["svc:k8s"]?.TCP?["443"]?.TCPForward == "localhost:\(profile.hostPort!)")

        let before = lab.world.calls().count
        let again = try await lab.moor("up", "-o", "json")
        #expect(again.exit == 0)
        #expect((try again.json()["applied"] as? [Any])?.isEmpty == true)
        #expect((try again.json()["unchanged"] as? [String])?.count == 6)
        let noOpCalls = lab.world.calls().dropFirst(before)
        #expect(noOpCalls.count <= 5, "a no-op up ran \(noOpCalls.count) commands: \(Array(noOpCalls))")
        #expect(noOpCalls.allSatisfy { !$0.contains("start") && !$0.contains("--bg") && !$0.contains("sh") })
        #expect(try await lab.moor("plan").exit == 0)
    }

    @Test func aNodeWithoutCertsDirectoryHasNoMirrorFilesYet() async throws {
        let lab = try Homelab(lab: Labs.seed())
        #expect(try await lab.moor("up").exit == 0)
        // A fresh node (or qemu2's ISO node) has no /etc/containerd/certs.d at all.
        try FileManager.default.removeItem(atPath: lab.world.nodeRoot("minikube") + "/etc/containerd/certs.d")
        let plan = try await lab.moor("plan", "-o", "json")
        #expect(plan.exit == 2, "\(plan.stderr)")
        let resources = (try plan.json()["changes"] as? [[String: Any]])?.compactMap { $0["resource"] as? String }
        #expect(resources == ["mirror:registry.tail8d86e.ts.net", "mirror:docker.io", "mirror:ghcr.io", "mirror:quay.io"])
        let up = try await lab.moor("up")
        #expect(up.exit == 0, "\(up.stderr)")
        #expect(lab.nodeFile("/etc/containerd/certs.d/quay.io/hosts.toml") != nil)
        #expect(try await lab.moor("plan").exit == 0)
    }

    @Test func aDockerRestartIsOneExposeChange() async throws {
        let lab = try Homelab(lab: Labs.seed())
        #expect(try await lab.moor("up").exit == 0)
        let oldPort = try #require(lab.world.load().profiles["minikube"]?.hostPort)
        try StandIn.simulateDockerRestart(store: lab.world)
        let newPort = try #require(lab.world.load().profiles["minikube"]?.hostPort)
        #expect(newPort != oldPort)

        let plan = try await lab.moor("plan", "-o", "json")
        #expect(plan.exit == 2)
        let changes = try plan.json()["changes"] as? [[String: Any]] ?? []
        #expect(changes.count == 1)
        #expect(changes.first?["resource"] as? String == "expose:svc:k8s:443")
        #expect((changes.first?["fields"] as? [String: [String: String]])?["target"] == ["from": "localhost:\(oldPort)", "to": "localhost:\(newPort)"])

        let up = try await lab.moor("up")
        #expect(up.exit == 0)
        #expect(up.stdout.contains("repoint svc:k8s tcp/443 from localhost:\(oldPort) to localhost:\(newPort)"))
        #expect(lab.world.load().serveServices["svc:k8s"]?.TCP?["443"]?.TCPForward == "localhost:\(newPort)")
        let status = try await lab.moor("status", "-o", "json").json()
        #expect((status["expose"] as? [String: Any])?["inSync"] as? Bool == true)
        #expect(((status["cluster"] as? [String: Any])?["apiServer"] as? [String: Any])?["hostPort"] as? Int == newPort)
    }

    @Test func aHandEditedMirrorFileIsRewritten() async throws {
        let lab = try Homelab(lab: Labs.seed())
        #expect(try await lab.moor("up").exit == 0)
        let path = lab.world.nodeRoot("minikube") + "/etc/containerd/certs.d/ghcr.io/hosts.toml"
        try "server = \"https://ghcr.io\"\n[host.\"http://somewhere-else:5000\"]\n  capabilities = [\"pull\"]\n".write(toFile: path, atomically: true, encoding: .utf8)
        let plan = try await lab.moor("plan", "-o", "json")
        #expect(plan.exit == 2)
        #expect((try plan.json()["changes"] as? [[String: Any]])?.map { $0["resource"] as? String } == ["mirror:ghcr.io"])
        #expect(try await lab.moor("up").exit == 0)
        #expect(lab.nodeFile("/etc/containerd/certs.d/ghcr.io/hosts.toml")?.contains("host.minikube.internal:5050") == true)
        #expect(try await lab.moor("plan").exit == 0)
    }

    @Test func aSettingChangeNeedsAllowRecreate() async throws {
        let lab = try Homelab(lab: Labs.seed(cpus: 6))
        #expect(try await lab.moor("up").exit == 0)
        try lab.writeLab(Labs.seed(cpus: 8))
        let plan = try await lab.moor("plan")
        #expect(plan.exit == 2)
        #expect(plan.stdout.contains("recreate cluster"))
        #expect(plan.stdout.contains("cpus: 6 → 8"))
        let refused = try await lab.moor("up")
        #expect(refused.exit == 1)
        #expect(refused.stderr == "error: cluster `minikube` must be recreated to change cpus (6 → 8); `moor migrate` does it and keeps the volumes (`moor up --allow-recreate` deletes the cluster and every volume in it)\n")
        #expect(lab.world.load().profiles["minikube"]?.cpus == 6)
        let allowed = try await lab.moor("up", "--allow-recreate")
        #expect(allowed.exit == 0, "\(allowed.stderr)")
        #expect(lab.world.load().profiles["minikube"]?.cpus == 8)
        #expect(lab.world.calls().contains(["minikube", "delete", "-p", "minikube"]))
        #expect(try await lab.moor("plan").exit == 0, "mirrors and exposure were redone on the new node")
    }

    @Test func aCertificateThatLostANameIsARecreate() async throws {
        let lab = try Homelab(lab: Labs.seed())
        #expect(try await lab.moor("up").exit == 0)
        // As the docker driver has done: the served certificate lacks the tailnet name.
        let pem = try APIServerCertificate.pem(names: ["minikube", "localhost", "indri"], ips: ["127.0.0.1"])
        try pem.write(toFile: lab.world.nodeRoot("minikube") + "/var/lib/minikube/certs/apiserver.crt", atomically: true, encoding: .utf8)
        let plan = try await lab.moor("plan")
        #expect(plan.exit == 2)
        #expect(plan.stdout.contains("recreate cluster: recreate cluster `minikube`: its API server certificate lacks k8s.tail8d86e.ts.net"))
        #expect(try await lab.moor("up").exit == 1)
        #expect(try await lab.moor("up", "--allow-recreate").exit == 0)
        #expect(try await lab.moor("plan").exit == 0)
    }

    @Test func aToolFailingHalfWayConvergesOnTheNextRun() async throws {
        let lab = try Homelab(lab: Labs.seed(runtime: "containerd"))
        try lab.world.injectFault(tool: "minikube", match: "ghcr.io/hosts.toml")
        let first = try await lab.moor("up")
        #expect(first.exit == 1)
        let errors = first.stderr.split(separator: "\n").filter { $0.hasPrefix("error:") }
        #expect(errors.count == 1)
        #expect(errors.first?.hasPrefix("error: `minikube ssh -p minikube -- sudo sh -c") == true)
        #expect(errors.first?.hasSuffix("failed with exit status 1: minikube: injected failure (stand-in fault for `ssh -p minikube -- sudo sh -c 'set -e; mkdir -p \"$(dirname \"$1\")\"; cat > \"$1.moor-tmp\"; chmod 0644 \"$1.moor-tmp\"; mv -f \"$1.moor-tmp\" \"$1\"' sh /etc/containerd/certs.d/ghcr.io/hosts.toml`)") == true, "\(errors)")
        #expect(first.stderr.split(separator: "\n").allSatisfy { $0.hasPrefix("moor:") || $0.hasPrefix("error:") }, "no stack trace")
        #expect(!lab.world.calls().contains { $0.contains("systemctl") })

        let history = try await lab.moor("history", "-o", "json").json()
        #expect(((history["runs"] as? [[String: Any]])?.first?["outcome"] as? String) == "failed")

        let second = try await lab.moor("up", "-o", "json")
        #expect(second.exit == 0, "\(second.stderr)")
        #expect((try second.json()["applied"] as? [[String: Any]])?.compactMap { $0["resource"] as? String } == ["mirror:ghcr.io", "mirror:quay.io", "expose:svc:k8s:443"])
        #expect(lab.world.calls().contains { $0.contains("systemctl") }, "the journaled containerd restart ran")
        #expect(try await lab.moor("plan").exit == 0)
    }
}
