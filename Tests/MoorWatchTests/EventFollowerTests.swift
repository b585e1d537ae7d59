import Foundation
import Testing
import MoorCore
import MoorSystem
@testable import MoorWatch
import MoorTestSupport

/// The follower's stream handling, with a fake docker whose stream ends.
@Suite struct EventFollowerTests {
    final class Seen: @unchecked Sendable {
        let lock = NSLock()
        var events: [DockerEvent] = []
        func add(_ event: DockerEvent) { lock.withLock { events.append(event) } }
        var actions: [String] { lock.withLock { events.map(\.action) } }
    }

    static func line(_ action: String, nano: Int64, profile: String = "minikube") -> String {
        "{\"Type\":\"container\",\"Action\":\"\(action)\",\"Actor\":{\"Attributes\":{\"name\":\"\(profile)\",\"name.minikube.sigs.k8s.io\":\"\(profile)\"}},\"time\":\(nano / 1_000_000_000),\"timeNano\":\(nano)}"
    }

    @Test func anEndedStreamIsFollowedAgainSinceTheLastEventWithoutRepeats() async throws {
        let runner = FakeRunner()
        let a = Self.line("die", nano: 1_764_384_000_120_934_512)
        let b = Self.line("stop", nano: 1_764_384_001_000_000_000)
        let c = Self.line("start", nano: 1_764_384_121_554_120_871)
        runner.on(["docker", "events"]) { command in
            if command.arguments.contains("1764384001.000000000") {
                // Docker repeats the event at --since itself; then the new one, and the stream ends again.
                return CommandResult(exitCode: 1, stdout: Array("\(b)\n\(c)\n".utf8), stderr: Array("unexpected EOF\n".utf8))
            }
            return CommandResult(exitCode: 1, stdout: Array("\(a)\nnot json\n\(Self.line("start", nano: 5, profile: "other"))\n\(b)\n".utf8),
                                 stderr: Array("error during connect: unexpected EOF\n".utf8))
        }
        let seen = Seen()
        var follower = EventFollower(profile: "minikube", runner: runner, clock: SystemClock(), log: WatchLog(write: { _ in }))
        follower.initialBackoff = .milliseconds(10)
        let task = Task { await follower.run { seen.add($0) } }
        for _ in 0..<300 where seen.actions.count < 3 { try await Task.sleep(for: .milliseconds(10)) }
        task.cancel()
        await task.value
        #expect(seen.actions == ["die", "stop", "start"])
        let calls = runner.commands.map(\.arguments)
        // The first stream starts --since the follower started, so nothing between spawn and subscription is lost.
        #expect(calls.first?.prefix(7) == ["events", "--filter", "label=name.minikube.sigs.k8s.io=minikube", "--filter", "type=container", "--format", "{{json .}}"])
        let first = try #require(calls.first?.last.flatMap(Double.init))
        #expect(abs(first - Date().timeIntervalSince1970) < 10)
        #expect(calls.dropFirst().first?.suffix(2) == ["--since", "1764384001.000000000"])
    }

    /// Docker down: `docker events` fails at once, again and again. Then a stream stays up:
    /// Docker is back, and the follower says so once (watch re-syncs), not for the first stream.
    @Test func aStreamThatStaysUpAfterFailuresMeansDockerIsBack() async throws {
        final class Streams: CommandRunner, @unchecked Sendable {
            let lock = NSLock()
            var count = 0
            func run(_ command: Command) async throws -> CommandResult { CommandResult(exitCode: 1, stdout: [], stderr: []) }
            func stream(_ command: Command, line: @escaping @Sendable (String) async -> Void) async throws -> CommandResult {
                let n = lock.withLock { count += 1; return count }
                // 1: up a while, then ends (Docker quits); 2, 3: refused at once; 4: up.
                if n == 1 || n == 4 { try await Task.sleep(for: .milliseconds(n == 1 ? 300 : 5000)) }
                return CommandResult(exitCode: 1, stdout: [], stderr: Array("Cannot connect to the Docker daemon\n".utf8))
            }
        }
        final class Count: @unchecked Sendable {
            let lock = NSLock()
            var value = 0
            func add() { lock.withLock { value += 1 } }
            var current: Int { lock.withLock { value } }
        }
        let runner = Streams()
        let reconnected = Count()
        var follower = EventFollower(profile: "minikube", runner: runner, clock: SystemClock(), log: WatchLog(write: { _ in }))
        follower.initialBackoff = .milliseconds(10)
        follower.maximumBackoff = .milliseconds(20)
        follower.reconnectedAfter = .milliseconds(200)
        let task = Task { await follower.run(reconnected: { reconnected.add() }) { _ in } }
        for _ in 0..<300 where reconnected.current == 0 { try await Task.sleep(for: .milliseconds(10)) }
        try await Task.sleep(for: .milliseconds(300))
        task.cancel()
        await task.value
        #expect(reconnected.current == 1)
        #expect(runner.lock.withLock { runner.count } == 4)
    }
}

/// What watch does with each kind of plan.
@Suite struct ReconcileDecisionTests {
    @Test func watchNeverCreatesOrRecreatesAndStartsOnlyWithAutoStart() {
        let start = Change(.cluster(nil), action: .start, summary: "start the stopped cluster `minikube`")
        let expose = Change(.expose(service: "svc:k8s", port: 443), action: .update, summary: "repoint")
        let recreate = Change(.cluster(nil), action: .recreate, summary: "recreate cluster `minikube` (driver qemu2 → docker)")
        let create = Change(.cluster(nil), action: .create, summary: "create cluster `minikube`")
        #expect(ReconcileDecision.decide([], autoStart: true) == .inSync)
        #expect(ReconcileDecision.decide([start, expose], autoStart: true) == .apply([start, expose]))
        #expect(ReconcileDecision.decide([expose], autoStart: false) == .apply([expose]))
        guard case .needsPerson("cluster-stopped", _) = ReconcileDecision.decide([start, expose], autoStart: false) else {
            Issue.record("a stopped cluster without autoStart is for a person"); return
        }
        guard case .needsPerson("recreate-needed", let detail) = ReconcileDecision.decide([recreate, expose], autoStart: true) else {
            Issue.record("a recreate is never done by watch"); return
        }
        #expect(detail.contains("moor migrate"))
        guard case .needsPerson("recreate-needed", let created) = ReconcileDecision.decide([create], autoStart: true) else {
            Issue.record("a missing cluster is for `moor up`"); return
        }
        #expect(created.contains("moor up"))
    }
}
