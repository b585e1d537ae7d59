import Foundation
import Testing
import Subprocess
import MoorCore
import MoorStandIns
import MoorSystem
import MoorTestSupport
#if canImport(System)
import System
#else
import SystemPackage
#endif

extension Homelab {
    /// Runs moor, sends `signal` once `ready` holds, and returns its exit status and how long
    /// it took to exit after the signal.
    func moorSignalled(_ signal: Subprocess.Signal, _ arguments: [String], when ready: @escaping @Sendable () -> Bool) async throws -> (Int32, Duration) {
        var updates: [Environment.Key: String?] = [:]
        for (key, value) in environment { updates[Environment.Key(stringLiteral: key)] = value }
        let result = try await Subprocess.run(.path(FilePath(Self.moor)), arguments: Arguments(arguments), environment: .inherit.updating(updates),
                                              input: .none, output: .discarded, error: .discarded) { execution in
            let deadline = ContinuousClock.now + .seconds(30)
            while !ready(), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
            try execution.send(signal: signal)
            return ContinuousClock.now
        }
        let exited = ContinuousClock.now - result.closureResult
        switch result.terminationStatus {
        case .exited(let code): return (code, exited)
        case .signaled(let number): return (128 + number, exited)
        }
    }
}

/// Ctrl-C and SIGTERM: the running tool is stopped, the run is journaled `interrupted`,
/// moor exits 130 at once, and the next `up` finishes what was journaled.
@Suite(.serialized) struct InterruptTests {
    static func isGone(_ pid: Int32) -> Bool {
        #if os(Linux)
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return true }
        return stat.contains(") Z ")
        #else
        return kill(pid, 0) != 0
        #endif
    }

    @Test(arguments: [Subprocess.Signal.interrupt, .terminate])
    func anInterruptedUpStopsItsToolAndTheNextUpFinishesTheJob(signal: Subprocess.Signal) async throws {
        let lab = try Homelab(lab: Labs.seed(runtime: "containerd"))
        #expect(try await lab.moor("up").exit == 0)
        try FileManager.default.removeItem(atPath: lab.world.nodeRoot("minikube") + "/etc/containerd/certs.d/quay.io")
        // Writing the mirror file hangs: the containerd restart is journaled by then.
        try lab.world.injectHang(tool: "minikube", match: "quay.io")
        let world = lab.world
        let (status, exitTime) = try await lab.moorSignalled(signal, ["up"]) { world.hungPID != nil }
        #expect(status == 130)
        #expect(exitTime < SignalTests.bound, "moor took \(exitTime) to exit after the signal")
        let pid = try #require(lab.world.hungPID)
        #expect(Self.isGone(pid), "the hung tool was stopped")

        let history = try await lab.moor("history", "-o", "json")
        let runs = try #require(try history.json()["runs"] as? [[String: Any]])
        #expect(runs.first?["outcome"] as? String == "interrupted")

        let before = lab.world.calls().count
        let up = try await lab.moor("up")
        #expect(up.exit == 0, "\(up.stderr)")
        let calls = lab.world.calls().dropFirst(before)
        #expect(calls.contains { $0.contains("systemctl") }, "the journaled containerd restart ran")
        #expect(lab.nodeFile("/etc/containerd/certs.d/quay.io/hosts.toml") != nil)
        #expect(try await lab.moor("plan").exit == 0)
    }
}
