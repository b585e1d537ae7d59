import Foundation
import Testing
import Subprocess
import MoorCore
import MoorStandIns
import MoorSystem
import MoorTestSupport

/// One writer at a time: `up` and the other writing commands take the cluster's lock;
/// readers never do; a killed writer leaves nothing behind.
@Suite(.serialized) struct LockTests {
    @Test func twoUpsTogetherStartTheClusterOnce() async throws {
        let lab = try Homelab(lab: Labs.seed())
        try lab.world.injectSlowness(tool: "minikube", match: "start")
        async let first = lab.moor("up")
        async let second = lab.moor("up")
        let (a, b) = try await (first, second)
        #expect(a.exit == 0, "\(a.stderr)")
        #expect(b.exit == 0, "\(b.stderr)")
        let calls = lab.world.calls()
        #expect(calls.filter { $0.starts(with: ["minikube", "start"]) }.count == 1)
        #expect(calls.filter { $0.starts(with: ["tailscale", "serve", "--bg"]) }.count == 1)
        let waited = [a, b].filter { $0.stderr.contains("waiting for moor up (pid ") && $0.stderr.contains("to finish with cluster minikube…") }
        #expect(waited.count == 1, "\(a.stderr)\n---\n\(b.stderr)")
        #expect(waited.first?.stdout.contains("in sync") == true, "the second observed afresh and found nothing to do")
    }

    @Test func planDuringAnUpDoesNotWaitAndNoWaitFailsAtOnce() async throws {
        let lab = try Homelab(lab: Labs.seed())
        try lab.world.injectHang(tool: "minikube", match: "start")
        let released = Flag()
        let up = Task { try await lab.moorSignalled(.interrupt, ["up"]) { released.isSet } }
        // `up` is inside `minikube start` now (the hang), holding the lock.
        while lab.world.hungPID == nil { try await Task.sleep(for: .milliseconds(20)) }
        let start = ContinuousClock.now
        let plan = try await lab.moor("plan")
        #expect(plan.exit == 2, "\(plan.stderr)")
        #expect(!plan.stderr.contains("waiting"))
        #expect(ContinuousClock.now - start < .seconds(15))
        let again = try await lab.moor("up", "--no-wait")
        #expect(again.exit == 1)
        #expect(again.stderr.contains("waiting for moor up (pid "), "\(again.stderr)")
        #expect(again.stderr.contains("not waiting (--no-wait)"))
        let short = try await lab.moor("up", "--lock-timeout", "300ms")
        #expect(short.exit == 1)
        #expect(short.stderr.contains("gave up after 300ms waiting for moor up"), "\(short.stderr)")
        released.set()
        #expect(try await up.value.0 == 130)
    }

    @Test func aWriterKilledMidStepLeavesNoLockBehind() async throws {
        let lab = try Homelab(lab: Labs.seed(runtime: "containerd"))
        #expect(try await lab.moor("up").exit == 0)
        try FileManager.default.removeItem(atPath: lab.world.nodeRoot("minikube") + "/etc/containerd/certs.d/quay.io")
        try lab.world.injectHang(tool: "minikube", match: "quay.io")
        let world = lab.world
        let (status, _) = try await lab.moorSignalled(.kill, ["up"]) { world.hungPID != nil }
        #expect(status == 128 + 9)
        if let pid = lab.world.hungPID { kill(pid, SIGKILL) }   // SIGKILL leaves moor's child behind, as it would
        let start = ContinuousClock.now
        let up = try await lab.moor("up", "--no-wait")
        #expect(up.exit == 0, "\(up.stderr)")
        #expect(!up.stderr.contains("waiting"))
        #expect(ContinuousClock.now - start < .seconds(10))
        #expect(lab.world.calls().contains { $0.contains("systemctl") }, "the journaled containerd restart ran")
        #expect(try await lab.moor("plan").exit == 0)
    }
}

final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}
