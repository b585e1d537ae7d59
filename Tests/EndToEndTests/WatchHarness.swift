import Foundation
import MoorStandIns
import MoorTestSupport

/// `moor watch` running in the background for a test: its log (stderr) in a file, stopped
/// by SIGTERM with the exit status and how long it took.
final class WatchRun: @unchecked Sendable {
    let process = Process()
    let logPath: String

    init(_ lab: Homelab, extra: [String: String] = [:], arguments: [String] = []) throws {
        logPath = lab.scratch.path + "/watch-\(UUID().uuidString.prefix(8)).log"
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        process.executableURL = URL(fileURLWithPath: Homelab.moor)
        process.arguments = ["watch"] + arguments
        process.environment = lab.environment.merging(extra) { _, new in new }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        try process.run()
    }

    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// Polls `condition` every 20 ms for up to `timeout`; true once it holds.
    @discardableResult
    static func eventually(_ timeout: Duration = .seconds(20), _ condition: () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return condition()
    }

    /// SIGTERM, then waits (SIGKILL after 10 s so a broken build cannot hang the suite).
    func stop(_ signal: Int32 = SIGTERM) async -> (status: Int32, took: Duration) {
        let start = ContinuousClock.now
        kill(process.processIdentifier, signal)
        let deadline = start + .seconds(10)
        while process.isRunning, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(10)) }
        let took = ContinuousClock.now - start
        if process.isRunning { process.interrupt(); kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        let status = process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
        return (status, took)
    }

    deinit { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
}

extension Homelab {
    /// Where the tailnet forwards `svc:k8s` tcp/443, as the stand-in tailscale keeps it.
    var serveTarget: String? { world.load().serveServices["svc:k8s"]?.TCP?["443"]?.TCPForward }
    var apiHostPort: Int? { world.load().profiles["minikube"]?.hostPort }

    func calls(_ prefix: [String]) -> [[String]] { world.calls().filter { $0.starts(with: prefix) } }

    /// A `watch:` section's body that alerts at the first failure through ntfy on loopback.
    static func alertingWatch(reconcile: String, autoStart: Bool, ntfyPort: Int) -> String {
        """
          reconcile: \(reconcile)
          autoStart: \(autoStart)
          alerts:
            failureThreshold: 1
            ntfy:
              url: http://127.0.0.1:\(ntfyPort)
              topic: homelab

        """
    }

    /// The seed's lab with a `watch:` section (and any checks) appended.
    static func watchLab(_ watch: String, checks: String = "", runtime: String = "containerd") -> String {
        Labs.seed(runtime: runtime) + "watch:\n" + watch + (checks.isEmpty ? "" : "checks:\n" + checks)
    }
}
