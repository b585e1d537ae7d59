import Foundation
import Testing
import MoorCore
import MoorEngine
import MoorSystem
import MoorTestSupport
import MoorStandIns

/// `apps sync` waits on a test clock: the real kubectl against the API emulator, no real
/// seconds spent between polls.
@Suite struct AppsSyncClockTests {
    @Test func pollsAtTheIntervalUntilSyncedOrTimedOut() async throws {
        let api = try await KubeAPIServer.start()
        let scratch = try Scratch("moor-sync")
        let kubeconfig = try scratch.write("kubeconfig", api.kubeconfig(context: "lab"))
        try api.store.put(json: #"{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"argocd"}}"#)
        try api.store.put(json: #"{"apiVersion":"argoproj.io/v1alpha1","kind":"Application","metadata":{"name":"grafana","namespace":"argocd"},"spec":{"source":{"repoURL":"abc123abc123abc123abc123abc123abc123abc1","path":"x","targetRevision":"abc123abc123abc123abc123abc123abc123abc1"}},"status":{"sync":{"status":"Synced"},"health":{"status":"Healthy"}}}"#)
        let lab = try LabLoader.load(text: "version: 1\nkubeContext: lab\ngitops:\n  argocd:\n    revision: abc123abc123abc123abc123abc123abc123abc1\n", file: "lab.yaml").get()
        let clock = ManualClock()
        let context = MoorContext(runner: LocalRunner(environment: ["KUBECONFIG": kubeconfig]), journal: try TestJournal.make(), clock: clock,
                                  stateDirectory: scratch.path)
        var engine = try AppsEngine(lab: lab, labPath: "lab.yaml", context: context)
        engine.pollInterval = .seconds(5)
        let report = try await engine.sync(.all, timeout: .seconds(300))
        #expect(report.ok, "\(report)")
        #expect(report.polls == 2)
        #expect(clock.slept == [.seconds(5), .seconds(5)], "one poll every interval of the test clock")

        // A sync that never finishes: the timeout is the test clock's, reached without waiting.
        api.store.degradeOnSync = []
        try api.store.put(json: #"{"apiVersion":"argoproj.io/v1alpha1","kind":"Application","metadata":{"name":"stuck","namespace":"argocd"},"spec":{"source":{"repoURL":"r","path":"x","targetRevision":"abc123abc123abc123abc123abc123abc123abc1"}},"status":{"sync":{"status":"OutOfSync","revision":"0"},"health":{"status":"Progressing"}}}"#)
        let stuckClock = ManualClock()
        var stuckContext = context
        stuckContext.clock = stuckClock
        var stuck = try AppsEngine(lab: lab, labPath: "lab.yaml", context: stuckContext)
        stuck.pollInterval = .seconds(60)
        api.store.commits = ["r@abc123abc123abc123abc123abc123abc123abc1": "ffffffffffffffffffffffffffffffffffffffff"]
        let stuckStart = ContinuousClock.now
        let timedOut = try await stuck.sync(.names(["stuck"]), timeout: .seconds(600))
        #expect(timedOut.apps.first?.result == "timed out")
        #expect(stuckClock.elapsed == .seconds(600))
        #expect(ContinuousClock.now - stuckStart < .seconds(120), "ten minutes of polling on the test clock, not in real time")
        #expect(timedOut.polls == 10)
    }
}
