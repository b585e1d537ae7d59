import Foundation
import Testing
import MoorCore
import MoorEngine
import MoorSystem
@testable import MoorWatch
import MoorTestSupport

/// One run of a check at a time: a check slower than its interval skips turns.
@Suite struct CheckSchedulerTests {
    final class Results: @unchecked Sendable {
        let lock = NSLock()
        var times: [ContinuousClock.Instant] = []
        var lines: [String] = []
        func add(_ time: ContinuousClock.Instant) { lock.withLock { times.append(time) } }
        func log(_ line: String) { lock.withLock { lines.append(line) } }
        var all: [ContinuousClock.Instant] { lock.withLock { times } }
        var logged: [String] { lock.withLock { lines } }
    }

    @Test func aSlowCheckNeverOverlapsItselfAndSkipsTurns() async throws {
        let lab = try LabLoader.load(text: """
            version: 1
            checks:
              - name: slow
                command: [sleep, "0.6"]
                interval: 100ms
                timeout: 5s
              - name: fast
                command: ["true"]
                interval: 100ms
            """, file: "lab.yaml").get()
        let context = MoorContext(runner: LocalRunner(), journal: try TestJournal.make(), stateDirectory: NSTemporaryDirectory())
        let slow = Results(), fast = Results()
        let scheduler = CheckScheduler(checks: lab.checks, defaultInterval: .seconds(60), runner: CheckRunner(lab: lab, context: context),
                                       clock: SystemClock(), log: WatchLog(write: { slow.log($0) })) { result in
            (result.name == "slow" ? slow : fast).add(.now)
        }
        let task = Task { await scheduler.run() }
        let start = ContinuousClock.now
        // Until the slow check ran 4 times (a loaded machine may take longer than 2.4 s).
        while slow.all.count < 4, ContinuousClock.now - start < .seconds(20) { try await Task.sleep(for: .milliseconds(20)) }
        let elapsed = ContinuousClock.now - start
        task.cancel()
        await task.value
        let times = slow.all
        #expect(times.count >= 4, "\(times.count) runs of the slow check in \(elapsed)")
        for (earlier, later) in zip(times, times.dropFirst()) {
            #expect(later - earlier >= .milliseconds(590), "two runs of the slow check overlapped")
        }
        #expect(slow.logged.contains { $0.contains("check slow took") && $0.contains("skipped") })
        #expect(fast.all.count > times.count, "the fast check keeps its own pace: \(fast.all.count) runs")
    }
}
