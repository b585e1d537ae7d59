import Foundation
import Testing
import MoorCore
import MoorStandIns
import MoorSystem
import MoorTestSupport

/// The words of every skip and fail `moor doctor` can give for a missing prerequisite: a
/// missing kube context or a cluster that is not running is `skipped` with that reason, never
/// a `fail` blaming DNS or the NAS; every kubectl call names its context.
@Suite(.serialized) struct DoctorReasonTests {
    static func summaries(_ run: Homelab.Run) throws -> [String: String] {
        let diagnoses = try #require(try run.json()["diagnoses"] as? [[String: Any]])
        return Dictionary(uniqueKeysWithValues: diagnoses.map { ("\($0["id"]!)", "\($0["verdict"]!): \($0["summary"]!)") })
    }

    static let nfs = """
        storage:
          nfs:
            - {name: torrents, server: sifaka, export: /volume1/torrents}

        """

    @Test func anAbsentClusterSkipsWhatNeedsItWithTheWayOut() async throws {
        let lab = try Homelab(lab: Labs.seed() + Self.nfs)
        let run = try await lab.moor("doctor", "-o", "json")
        let absent = "skipped: the cluster `minikube` does not exist yet; create it with `moor up`"
        let byID = try Self.summaries(run)
        for id in ["cni-conflict", "pod-dns", "mirrors-used", "api-port", "nfs-exports", "node-disk"] {
            #expect(byID[id] == absent, "\(id): \(byID[id] ?? "-")")
        }
        #expect(byID["client-cert"]?.hasPrefix("skipped: no kubeconfig here defines the context `minikube` (looked in ") == true, "\(byID)")
        #expect(byID["client-cert"]?.hasSuffix("); run `moor kubeconfig --merge`") == true)
        #expect(!lab.world.calls().contains { $0.first == "kubectl" && $0.contains("run") }, "no pod was started")
    }

    @Test func everyKubectlCallNamesTheContextOfALocalCluster() async throws {
        let lab = try Homelab(lab: Labs.seed() + Self.nfs)
        #expect(try await lab.moor("up").exit == 0)
        let run = try await lab.moor("doctor", "--debug", "-o", "json")
        let kubectl = lab.world.calls().filter { $0.first == "kubectl" }
        #expect(kubectl.contains { $0.contains("run") }, "the pods ran: \(kubectl)")
        for call in kubectl where call.dropFirst().first != "config" || call.contains("view") {
            #expect(call.contains("--context=minikube"), "\(call)")
        }
        let byID = try Self.summaries(run)
        #expect(byID["pod-dns"] == "ok: a new pod resolves kubernetes.default.svc.cluster.local", "\(byID)")
        #expect(run.stderr.contains(#"argv=["kubectl", "--context=minikube", "run", "moor-doctor-dns-"#), "--debug shows the context: \(run.stderr)")
    }

    @Test func aContextThisMachineLacksIsASkipNotADNSOrNASFailure() async throws {
        let lab = try Homelab(lab: Labs.seed() + "kubeContext: minikube-indri\n" + Self.nfs)
        #expect(try await lab.moor("up").exit == 0)
        let run = try await lab.moor("doctor", "-o", "json")
        let byID = try Self.summaries(run)
        let missing = "skipped: this machine's kubeconfig has no context `minikube-indri`; run `moor kubeconfig --merge` (or set `kubeContext`)"
        #expect(byID["pod-dns"] == missing, "\(byID)")
        #expect(byID["nfs-exports"] == missing, "\(byID)")
        #expect(!lab.world.calls().contains { $0.first == "kubectl" && $0.contains("run") }, "no pod was started")

        let text = try await lab.moor("doctor", "--only", "pod-dns,nfs-exports")
        #expect(text.exit == 0, "skips are not failures: \(text.stdout)")
        #expect(!text.stdout.contains("\n\n  "), "no empty evidence block: \(text.stdout)")
    }

    @Test func aLabWithoutAClusterOrContextSaysWhichKeyIsMissing() async throws {
        let lab = try Homelab(lab: "version: 1\n" + Self.nfs)
        let run = try await lab.moor("doctor", "-o", "json")
        let byID = try Self.summaries(run)
        #expect(byID["nfs-exports"] == "skipped: \(LabFile.noKubectlContext)", "\(byID)")
        #expect(byID["api-port"] == "skipped: no `cluster` and no `expose.tailscale`")
        #expect(byID["client-cert"] == "skipped: \(LabFile.noKubectlContext)")
        #expect(byID["cni-conflict"] == "skipped: no `cluster` section")

        try lab.writeLab(Labs.seed().components(separatedBy: "expose:")[0])
        let noExpose = try Self.summaries(try await lab.moor("doctor", "--only", "api-port", "-o", "json"))
        #expect(noExpose["api-port"] == "skipped: no `expose.tailscale`: the API server is not exposed on the tailnet", "\(noExpose)")
    }
}
