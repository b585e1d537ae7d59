import Foundation
import MoorCore
import MoorEngine
import MoorSystem

/// Runs each check on its own interval (`interval`, else `watch.checks`). The first run of
/// each is spread over its interval by a random offset, and every later one moves by up to
/// ±5 %, so 41 checks at 60 s do not fire together. A check still running when its next
/// turn comes skips that turn (one run of a check at a time).
public struct CheckScheduler: Sendable {
    let checks: [CheckSpec]
    let defaultInterval: Duration
    let runner: CheckRunner
    let clock: any MoorClock
    let log: WatchLog
    let onResult: @Sendable (CheckResult) async -> Void
    /// Stopping: no new run begins; a run under way finishes and reports.
    var inFlight = InFlight()

    public init(checks: [CheckSpec], defaultInterval: Duration, runner: CheckRunner, clock: any MoorClock, log: WatchLog,
                onResult: @escaping @Sendable (CheckResult) async -> Void) {
        self.checks = checks
        self.defaultInterval = defaultInterval
        self.runner = runner
        self.clock = clock
        self.log = log
        self.onResult = onResult
    }

    public func interval(of check: CheckSpec) -> Duration {
        check.intervalMilliseconds.map { .milliseconds($0) } ?? defaultInterval
    }

    /// Runs until cancelled.
    public func run() async {
        await withTaskGroup(of: Void.self) { group in
            for check in checks {
                group.addTask { await self.loop(check) }
            }
        }
    }

    func loop(_ check: CheckSpec) async {
        let interval = interval(of: check)
        let period = interval.inMilliseconds
        var due = clock.now + .milliseconds(Int64(Double.random(in: 0..<1) * period))
        var skipped = 0
        while !Task.isCancelled {
            let wait = due - clock.now
            if wait > .zero { do { try await clock.sleep(for: wait) } catch { return } }
            guard inFlight.begin() else { return }
            let result = await runner.run(check)
            if !Task.isCancelled { await onResult(result) }
            inFlight.end()
            if Task.isCancelled { return }
            // Next turn: one interval on, jittered; turns that passed while it ran are skipped.
            due = due + .milliseconds(Int64(period * Double.random(in: 0.95...1.05)))
            var missed = 0
            while due < clock.now {
                due = due + interval
                missed += 1
            }
            if missed > 0 {
                skipped += missed
                log.event("check \(check.name) took \(Int(result.durationMs)) ms, longer than its interval; skipped \(missed) turn(s) (\(skipped) so far)")
            }
        }
    }
}
