import Foundation
import Testing
import MoorCore
import MoorStandIns
import MoorSystem
import MoorTestSupport

/// `moor watch` against the real engine: the node container restarted, and dockerd itself.
extension RealEngineTests {
    /// The `start` events of the node after `since` (seconds), as dockerd recorded them.
    static func startEvents(_ engine: EngineLab, since: Double) throws -> [Int64] {
        let out = try RealEngine.dockerOK(["events", "--since", String(format: "%.3f", since), "--until", String(format: "%.3f", Date().timeIntervalSince1970),
                                           "--filter", "container=\(engine.profile)", "--filter", "event=start", "--format", "{{.TimeNano}}"])
        return out.split(separator: "\n").compactMap { Int64($0) }
    }

    @Test func watchFollowsARealContainerRestartWithinThreeSeconds() async throws {
        let engine = try EngineLab { EngineLab.text(profile: $0, watch: "  reconcile: 10m\n") }
        defer { engine.close() }
        #expect(try await engine.lab.moor("up").exit == 0)
        let watch = try WatchRun(engine.lab)
        #expect(await WatchRun.eventually { watch.log.contains("watching") }, "\(watch.log)")
        try await Task.sleep(for: .seconds(1))   // the first reconcile settles (nothing to do)
        let before = Date().timeIntervalSince1970
        let old = try #require(try engine.hostPort())
        let restartStart = Date().timeIntervalSince1970
        try RealEngine.dockerOK(["restart", "--time", "1", engine.profile])
        let restartTook = Date().timeIntervalSince1970 - restartStart
        let port = try #require(try engine.hostPort())
        #expect(port != old)
        let synced = await WatchRun.eventually(.seconds(10)) { engine.serveTarget == "localhost:\(port)" }
        let at = Date().timeIntervalSince1970
        #expect(synced, "\(watch.log)")
        let start = try #require(try Self.startEvents(engine, since: before).last)
        let latency = at - Double(start) / 1e9
        print("real-engine container-restart resync \(String(format: "%.3f", latency)) s after the start event; docker restart took \(String(format: "%.3f", restartTook)) s")
        #expect(latency < 3, "the tailnet forwarded to the new port \(latency) s after the real start event")
        // The start event re-synced it, not the reconcile the stop's settle delay schedules.
        #expect(watch.log.contains("container start: "), "\(watch.log)")
        #expect(await watch.stop().status == 0)
    }

    @Test func watchFollowsADockerdRestartAndAutoStartsTheNode() async throws {
        let engine = try EngineLab { EngineLab.text(profile: $0, watch: "  reconcile: 10m\n") }
        defer { engine.close() }
        #expect(try await engine.lab.moor("up").exit == 0)
        let watch = try WatchRun(engine.lab)
        try await Task.sleep(for: .seconds(1))
        let old = try #require(try engine.hostPort())
        let restart = ContinuousClock.now
        // Down longer than watch's settle delay and retry: only "Docker answers again" can
        // tell watch to look (dockerd's own event log starts empty).
        try DockerDaemon.restart(downFor: 6)
        // The node stopped with dockerd (no live-restore, no restart policy); watch starts it.
        let started = await WatchRun.eventually(.seconds(30)) { (try? engine.hostPort()) != nil && engine.serveTarget != "localhost:\(old)" }
        let took = ContinuousClock.now - restart
        #expect(started, "\(watch.log)")
        let port = try #require(try engine.hostPort())
        #expect(engine.serveTarget == "localhost:\(port)")
        let back = try Date().timeIntervalSince1970 - DockerDaemon.startedAt()
        print("real-engine dockerd-restart resync \(String(format: "%.3f", back)) s after dockerd answered; \(took) after its SIGTERM (down 6 s)")
        #expect(watch.log.contains("docker answers again"), "\(watch.log)")
        #expect(watch.log.contains("docker events for \(engine.profile) ended"), "\(watch.log)")
        #expect(engine.lab.calls(["minikube", "start", "-p", engine.profile]).count == 2, "the creating up, then watch's start")
        #expect(await watch.stop().status == 0)
    }

    @Test func withoutAutoStartADockerdRestartAlertsOnceAndAStartIsFollowed() async throws {
        let ntfy = try await HTTPRecorder(status: 200)
        let engine = try EngineLab { EngineLab.text(profile: $0, watch: Homelab.alertingWatch(reconcile: "10m", autoStart: false, ntfyPort: ntfy.port)) }
        defer { engine.close() }
        #expect(try await engine.lab.moor("up").exit == 0)
        let watch = try WatchRun(engine.lab)
        try await Task.sleep(for: .seconds(1))
        try DockerDaemon.restart()
        #expect(await WatchRun.eventually(.seconds(20)) { !ntfy.requests.isEmpty }, "\(watch.log)")
        try await Task.sleep(for: .seconds(4))   // the stop's and the reconnect's reconciles: one alert
        let titles = ntfy.requests.compactMap { $0.json?["title"] as? String }
        #expect(titles == ["moor: cluster-stopped failing"], "\(titles) \(watch.log)")
        #expect(engine.lab.calls(["minikube", "start"]).count == 1, "watch started the cluster with autoStart off")
        #expect(try engine.hostPort() == nil)
        // Someone starts it: watch follows the new port.
        try RealEngine.dockerOK(["start", engine.profile])
        let port = try #require(try engine.hostPort())
        #expect(await WatchRun.eventually(.seconds(10)) { engine.serveTarget == "localhost:\(port)" }, "\(watch.log)")
        #expect(await watch.stop().status == 0)
    }
}

/// The dockerd `scripts/test-engines` started: stopped by its PID, started again by the script.
enum DockerDaemon {
    static var directory: String { RealEngine.environment["MOOR_ENGINES_DIR"] ?? "/tmp/moor-engines" }
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("scripts/test-engines").path

    /// When `restart` last had dockerd answering again (seconds since 1970).
    static func startedAt() throws -> Double {
        Double(try String(contentsOfFile: directory + "/dockerd.started", encoding: .utf8)) ?? 0
    }

    /// `downFor`: how long dockerd stays stopped (Docker Desktop quit for a while).
    static func restart(downFor: TimeInterval = 0) throws {
        let text = try String(contentsOfFile: directory + "/dockerd.pid", encoding: .utf8)
        guard let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw MoorError(.unavailable, "no dockerd pid in \(directory)/dockerd.pid (dockerd is not the one scripts/test-engines started)")
        }
        kill(pid, SIGTERM)
        let deadline = Date().addingTimeInterval(20)
        while kill(pid, 0) == 0, Date() < deadline { usleep(50_000) }
        Thread.sleep(forTimeInterval: downFor)
        // Through pipes: the script's dockerd keeps none of its descriptors, so this returns.
        let up = try NodeProcess.run("/usr/bin/env", ["bash", script, "up"], stdin: Data())
        try? "\(Date().timeIntervalSince1970)".write(toFile: directory + "/dockerd.started", atomically: true, encoding: .utf8)
        guard up.exitCode == 0 else { throw MoorError(.toolFailed, "scripts/test-engines up exited \(up.exitCode): \(up.stderr)") }
    }
}
