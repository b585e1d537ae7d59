import Foundation
import Testing
import MoorCore
import MoorStandIns
import MoorSystem
import MoorTestSupport

/// `moor doctor` through the binary: stand-ins holding a real node directory, the real
/// kubectl against the API emulator for the CNI fix, recorded tailscale and mount answers.
@Suite(.serialized) struct DoctorTests {
    static func diagnoses(_ run: Homelab.Run) throws -> [[String: Any]] {
        try #require(try run.json()["diagnoses"] as? [[String: Any]])
    }

    @Test func aStaleCNIConfigFailsAndTheFixRestartsDeploymentsThroughKubectl() async throws {
        let lab = try Homelab(lab: Labs.seed(runtime: "containerd") + "kubeContext: minikube\n", standIns: ["minikube", "docker", "tailscale", "op"])
        let api = try await KubeAPIServer.start()
        lab.extraEnvironment["KUBECONFIG"] = try lab.scratch.write("kubeconfig", api.kubeconfig(context: "minikube"))
        for namespace in ["miniflux", "monitoring", "kube-system"] {
            try api.store.put(json: #"{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"\#(namespace)"}}"#)
        }
        for (kind, namespace, name) in [("Deployment", "miniflux", "miniflux"), ("Deployment", "monitoring", "grafana"),
                                        ("StatefulSet", "monitoring", "prometheus"), ("DaemonSet", "kube-system", "kindnet")] {
            try api.store.put(json: #"{"apiVersion":"apps/v1","kind":"\#(kind)","metadata":{"name":"\#(name)","namespace":"\#(namespace)"},"spec":{"replicas":1,"template":{"metadata":{"labels":{"app":"\#(name)"}},"spec":{"containers":[{"name":"c","image":"busybox:1.36"}]}}}}"#)
        }
        #expect(try await lab.moor("up").exit == 0)
        let clean = try await lab.moor("doctor", "--only", "cni-conflict", "-o", "json")
        #expect(clean.exit == 0, "\(clean.stdout)\(clean.stderr)")
        #expect(try Self.diagnoses(clean).first?["verdict"] as? String == "ok")

        let netd = lab.world.nodeRoot("minikube") + "/etc/cni/net.d"
        try Fixtures.text("cni/1-k8s.conflist.minikube-bridge.rendered.DERIVED.json").write(toFile: netd + "/1-k8s.conflist", atomically: true, encoding: .utf8)
        let broken = try await lab.moor("doctor", "--only", "cni-conflict", "-o", "json")
        #expect(broken.exit == 2)
        let report = try broken.json()
        #expect(Set(report.keys) == ["diagnoses", "summary"])
        #expect(report["summary"] as? [String: Int] == ["ok": 0, "warn": 0, "fail": 1, "skipped": 0])
        let diagnosis = try #require(try Self.diagnoses(broken).first)
        #expect(Set(diagnosis.keys) == ["id", "verdict", "summary", "evidence", "fix"])
        #expect(diagnosis["id"] as? String == "cni-conflict" && diagnosis["verdict"] as? String == "fail")
        #expect((diagnosis["summary"] as? String)?.hasPrefix("1-k8s.conflist (bridge+portmap+firewall) sorts before 10-kindnet.conflist") == true, "\(diagnosis)")
        #expect((diagnosis["evidence"] as? [String])?.contains { $0.contains("1-k8s.conflist") } == true)
        let fix = try #require(diagnosis["fix"] as? [String: Any])
        #expect(fix["safe"] as? Bool == true && fix["applied"] is NSNull)
        let text = try await lab.moor("doctor", "--only", "cni-conflict")
        #expect(text.stdout.contains("cni-conflict  fail"), "\(text.stdout)")
        #expect(text.stdout.contains("fix (safe: moor doctor --fix): move 1-k8s.conflist aside"))

        let fixed = try await lab.moor("doctor", "--only", "cni-conflict", "--fix", "-o", "json", "--debug")
        #expect(fixed.exit == 0, "\(fixed.stdout)\(fixed.stderr)")
        let after = try #require(try Self.diagnoses(fixed).first)
        #expect(after["verdict"] as? String == "ok")
        #expect((after["fix"] as? [String: Any])?["applied"] as? Bool == true)
        #expect(FileManager.default.fileExists(atPath: netd + "/1-k8s.conflist.mk_disabled"))
        #expect(!FileManager.default.fileExists(atPath: netd + "/1-k8s.conflist"))
        for (kind, namespace, name, restarted) in [("Deployment", "miniflux", "miniflux", true), ("Deployment", "monitoring", "grafana", true),
                                                   ("StatefulSet", "monitoring", "prometheus", false), ("DaemonSet", "kube-system", "kindnet", false)] {
            let object = try #require(api.store.get(apiVersion: "apps/v1", kind: kind, namespace: namespace, name: name))
            #expect(object.contains("kubectl.kubernetes.io/restartedAt") == restarted, "\(kind) \(name)")
        }
        #expect(fixed.stderr.contains("left alone (restart them if their pods misbehave): DaemonSet kube-system/kindnet, StatefulSet monitoring/prometheus"), "\(fixed.stderr)")
    }

    @Test func tailscaleServiceApprovalAndTags() async throws {
        let lab = try Homelab(lab: Labs.seed())
        let recorded = try TailscaleStatus.parse(try Fixtures.text("tailscale/status.client-1.102.recorded.SANITIZED.json"))
        #expect(recorded.tags.isEmpty && recorded.servicesHosted.isEmpty, "the recorded client is an untagged node")
        #expect(try await lab.moor("up").exit == 0)
        for (state, verdict, summary) in [("approved", "ok", "svc:k8s is approved for this tagged host"),
                                          ("unapproved", "fail", "svc:k8s is not approved for this host"),
                                          ("untagged", "fail", "this node has no tags")] {
            try lab.world.update { $0.tailscaleService = state }
            let run = try await lab.moor("doctor", "--only", "tailscale-service", "-o", "json")
            let diagnosis = try #require(try Self.diagnoses(run).first)
            #expect(diagnosis["verdict"] as? String == verdict, "\(state)")
            #expect((diagnosis["summary"] as? String)?.hasPrefix(summary) == true, "\(state): \(diagnosis)")
            if state == "untagged" {
                let raw = try await LocalRunner(environment: lab.environment).run(Command("tailscale", ["status", "--json"]))
                let parsed = try TailscaleStatus.parse(raw.stdoutText)
                #expect(parsed.tags == recorded.tags && parsed.servicesHosted == recorded.servicesHosted, "the stand-in's shape is the recorded one's")
            }
            if state == "unapproved" {
                #expect(((diagnosis["fix"] as? [String: Any])?["text"] as? String)?.contains("tailscale serve clear svc:k8s") == true)
            }
        }
    }

    @Test func clientCertificatesExpiringSoonWarnAndExpiredFail() async throws {
        let lab = try Homelab(lab: "version: 1\n")
        let ca = try TestPKI.authority()
        for (days, verdict, exit) in [(10.0, "warn", Int32(0)), (-3.0, "fail", Int32(2)), (200.0, "ok", Int32(0))] {
            let client = try TestPKI.leaf("minikube-user", issuer: ca, notAfter: Date().addingTimeInterval(days * 86_400))
            let config = KubeconfigRender.standalone(KubeconfigEntry(name: "minikube-indri", server: "https://k8s.tail8d86e.ts.net:443",
                                                                     certificateAuthority: .data(Array(ca.certificatePEM.utf8)),
                                                                     clientCertificate: .data(Array(client.certificatePEM.utf8)),
                                                                     clientKey: .data(Array("key".utf8))))
            let path = try lab.scratch.write("kube/config.yml", config)
            try lab.writeLab("version: 1\nremoteAccess:\n  context: minikube-indri\n  server: https://k8s.tail8d86e.ts.net:443\n  path: \(path)\n")
            let run = try await lab.moor("doctor", "--only", "client-cert", "-o", "json")
            #expect(run.exit == exit, "\(days) days: \(run.stdout)\(run.stderr)")
            let diagnosis = try #require(try Self.diagnoses(run).first)
            #expect(diagnosis["verdict"] as? String == verdict, "\(days) days: \(diagnosis)")
        }
    }

    @Test func nfsExportsMountInAPodOrSayWhatTheServerAnswered() async throws {
        let lab = try Homelab(lab: Labs.seed() + """
            storage:
              nfs:
                - {name: torrents, server: sifaka, export: /volume1/torrents, clients: [192.168.1.0/24, 100.64.0.0/10]}
                - {name: media, server: sifaka, export: /volume1/media}
            doctor:
              image: registry.tail8d86e.ts.net/library/busybox:1.36

            """)
        #expect(try await lab.moor("up").exit == 0, "the pods need a running cluster")
        try lab.world.update { $0.nfs = ["sifaka:/volume1/media": "ok"] }
        let run = try await lab.moor("doctor", "--only", "nfs-exports", "-o", "json")
        #expect(run.exit == 2, "\(run.stdout)\(run.stderr)")
        let diagnosis = try #require(try Self.diagnoses(run).first)
        let summary = try #require(diagnosis["summary"] as? String)
        #expect(summary.contains("torrents: Output: mount.nfs: access denied by server while mounting sifaka:/volume1/torrents"), "\(summary)")
        #expect(summary.contains("clients need access: 192.168.1.0/24, 100.64.0.0/10"))
        #expect(!summary.contains("media:"))
        try lab.world.update { $0.nfs["sifaka:/volume1/torrents"] = "ok" }
        #expect(try await lab.moor("doctor", "--only", "nfs-exports").exit == 0)
        #expect(lab.world.calls().contains { $0.starts(with: ["kubectl", "--context=minikube", "delete", "pod"]) }, "the pods are deleted afterwards")
        #expect(lab.world.calls().contains { $0.contains("--image=registry.tail8d86e.ts.net/library/busybox:1.36") }, "doctor.image")
    }

    @Test func everyDiagnosisRunsAndOneFailureNeverStopsTheOthers() async throws {
        let lab = try Homelab(lab: Labs.seed())
        let fresh = try await lab.moor("doctor", "-o", "json")
        #expect(fresh.exit == 2, "the cluster is absent: some diagnoses fail, the rest still report")
        #expect(try Self.diagnoses(fresh).count == 10)
        #expect(try await lab.moor("up").exit == 0)
        try lab.world.update { world in
            world.profiles["minikube"]?.diskUsePercent = 90
            world.podDNS = "fail"
        }
        let run = try await lab.moor("doctor", "-o", "json")
        let byID = Dictionary(uniqueKeysWithValues: try Self.diagnoses(run).map { ($0["id"] as! String, $0) })
        #expect(Set(byID.keys) == ["cni-conflict", "pod-dns", "mirrors-used", "docker-memory", "api-port", "api-names", "client-cert",
                                   "tailscale-service", "nfs-exports", "node-disk"])
        #expect(byID["node-disk"]?["verdict"] as? String == "warn")
        #expect(byID["pod-dns"]?["verdict"] as? String == "fail")
        #expect(byID["mirrors-used"]?["verdict"] as? String == "fail", "the seed's docker runtime with the classic image store")
        #expect(byID["docker-memory"]?["verdict"] as? String == "ok")
        #expect(byID["api-port"]?["verdict"] as? String == "ok")
        #expect(byID["nfs-exports"]?["verdict"] as? String == "skipped")
        #expect(byID["nfs-exports"]?["summary"] as? String == "no `storage.nfs`")
        #expect(byID["client-cert"]?["verdict"] as? String == "skipped")
        try StandIn.simulateDockerRestart(store: lab.world)
        let moved = try await lab.moor("doctor", "--only", "api-port", "--fix", "-o", "json")
        #expect(try Self.diagnoses(moved).first?["verdict"] as? String == "ok", "\(moved.stdout)")
        #expect(try await lab.moor("plan").exit == 0)
    }
}
