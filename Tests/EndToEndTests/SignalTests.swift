import Foundation
import Testing
import MoorCore
import MoorStandIns
import MoorSystem
import MoorTestSupport
import Subprocess

/// Ctrl-C and SIGTERM stop every long command of the binary users run (the release build when
/// `MOOR_TEST_BIN_DIR` points at it, as `.ci/run` does): exit 130 within two seconds, the tool
/// it was running gone. Each line `signal-latency …` is what `benchmarks/signal_latency.py`
/// collects for the debug and the release build.
@Suite(.serialized) struct SignalTests {
    /// The bar is 2 s and `benchmarks/signal_latency.py` measures it (milliseconds, README);
    /// a test only bounds it generously, so a CI machine running the whole suite at once does
    /// not fail it, while a moor that ignores the signal (the release defect) still does.
    static let bound: Duration = .seconds(5)

    static func report(_ name: String, _ signal: Subprocess.Signal, _ latency: Duration) {
        let seconds = Double(latency.components.seconds) + Double(latency.components.attoseconds) / 1e18
        print("signal-latency \(name) \(signal == .interrupt ? "SIGINT" : "SIGTERM") \(String(format: "%.3f", seconds)) s (\(Homelab.buildDirectory))")
    }

    @Test(arguments: [Subprocess.Signal.interrupt, .terminate])
    func upStopsWhileListingProfiles(signal: Subprocess.Signal) async throws {
        let lab = try Homelab(lab: Labs.seed())
        try lab.world.injectHang(tool: "minikube", match: "profile list")
        let world = lab.world
        let (status, latency) = try await lab.moorSignalled(signal, ["up"]) { world.hungPID != nil }
        #expect(status == 130, "\(signal)")
        #expect(latency < SignalTests.bound, "moor took \(latency) to exit")
        #expect(InterruptTests.isGone(try #require(world.hungPID)), "the hung minikube was stopped")
        #expect(lab.world.load().profiles.isEmpty, "nothing was created")
        Self.report("up (minikube profile list)", signal, latency)
    }

    @Test(arguments: [Subprocess.Signal.interrupt, .terminate])
    func upStopsWhileStartingTheCluster(signal: Subprocess.Signal) async throws {
        let lab = try Homelab(lab: Labs.seed())
        try lab.world.injectHang(tool: "minikube", match: "start")
        let world = lab.world
        let (status, latency) = try await lab.moorSignalled(signal, ["up"]) { world.hungPID != nil }
        #expect(status == 130)
        #expect(latency < SignalTests.bound, "moor took \(latency) to exit")
        #expect(InterruptTests.isGone(try #require(world.hungPID)))
        let runs = try #require(try await lab.moor("history", "-o", "json").json()["runs"] as? [[String: Any]])
        #expect(runs.first?["outcome"] as? String == "interrupted")
        #expect(!lab.world.calls().contains { $0.contains("tailscale") && $0.contains("--bg") }, "no later step ran")
        Self.report("up (minikube start)", signal, latency)
    }

    @Test func migrateStopsWhileBackingUp() async throws {
        let lab = try await MigrateTests.qemu2Lab(bigFile: false)
        try lab.world.injectHang(tool: "minikube", match: "-cf")
        let world = lab.world
        let (status, latency) = try await lab.moorSignalled(.interrupt, ["migrate"]) { world.hungPID != nil }
        #expect(status == 130)
        #expect(latency < SignalTests.bound, "moor took \(latency) to exit")
        #expect(InterruptTests.isGone(try #require(world.hungPID)))
        #expect(lab.world.load().profiles["minikube"]?.driver == "qemu2", "the old cluster was not deleted")
        Self.report("migrate (backup)", .interrupt, latency)
    }

    @Test func appsSyncStopsWhileWaiting() async throws {
        let lab = try Homelab(lab: """
            version: 1
            kubeContext: minikube-indri
            gitops:
              argocd:
                namespace: argocd
                revision: main
                apps: [grafana]

            """, standIns: ["minikube", "docker", "tailscale", "op"])
        let api = try await KubeAPIServer.start()
        lab.extraEnvironment["KUBECONFIG"] = try lab.scratch.write("kubeconfig", api.kubeconfig(context: "minikube-indri"))
        try api.store.put(json: #"{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"argocd"}}"#)
        try api.store.put(json: #"{"apiVersion":"argoproj.io/v1alpha1","kind":"Application","metadata":{"name":"grafana","namespace":"argocd"},"spec":{"project":"default","source":{"repoURL":"https://forge.invalid/blumeops.git","path":"grafana","targetRevision":"main"},"destination":{"server":"https://kubernetes.default.svc","namespace":"grafana"}},"status":{"sync":{"status":"OutOfSync"},"health":{"status":"Healthy"}}}"#)
        api.store.controllerPaused = true
        let store = api.store
        let (status, latency) = try await lab.moorSignalled(.interrupt, ["apps", "sync", "--timeout", "300s"]) {
            store.requests.contains { $0.hasPrefix("PATCH") }
        }
        #expect(status == 130)
        #expect(latency < SignalTests.bound, "moor took \(latency) to exit")
        Self.report("apps sync (waiting)", .interrupt, latency)
    }

    @Test func checkStopsWhileAPeerHangs() async throws {
        let silent = try await TestServer.start(.silent)
        let lab = try Homelab(lab: "version: 1\nchecks:\n  - name: hangs\n    tls: 127.0.0.1:\(silent.port)\n    timeout: 60s\n")
        let (status, latency) = try await lab.moorSignalled(.terminate, ["check"]) { silent.connections > 0 }
        #expect(status == 130)
        #expect(latency < SignalTests.bound, "moor took \(latency) to exit")
        Self.report("check (TLS peer silent)", .terminate, latency)
        await silent.stop()
    }
}
