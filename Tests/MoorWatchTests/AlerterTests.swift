import Foundation
import Testing
import MoorCore
import MoorJournal
@testable import MoorWatch
import MoorTestSupport

/// Delivery from the journal's outbox: once, in order, after failures, across restarts.
@Suite struct AlerterTests {
    final class Sink: AlertSink, @unchecked Sendable {
        let lock = NSLock()
        var failing: Bool
        var sent: [AlertMessage] = []
        var attempts = 0
        init(failing: Bool = false) { self.failing = failing }

        func send(_ message: AlertMessage) async throws {
            let fail = lock.withLock { attempts += 1; return failing }
            if fail { throw NtfySink.Refused(description: "connection refused") }
            lock.withLock { sent.append(message) }
        }
        var titles: [String] { lock.withLock { sent.map(\.title) } }
        func set(failing: Bool) { lock.withLock { self.failing = failing } }
    }

    static let log = WatchLog(write: { _ in })

    /// Waits until no delivery is in flight.
    static func drained(_ alerter: Alerter) async {
        for _ in 0..<200 {
            if await alerter.delivering.isEmpty { return }
            try? await Task.sleep(for: .milliseconds(10))
        }
    }

    @Test func oneAlertOneResolvedNeverRepeated() async throws {
        let journal = try TestJournal.make()
        let sink = Sink()
        let alerter = try Alerter(rule: AlertRule(), journal: journal, sink: sink, metrics: nil, log: Self.log)
        for success in [false, false, false, false, false, true, true, true] {
            await alerter.evaluate("web", success: success, detail: success ? "HTTP 200" : "HTTP 500")
            await Self.drained(alerter)
        }
        #expect(sink.titles == ["moor: web failing", "moor: web resolved"])
    }

    @Test func aRestartNeitherResendsNorForgets() async throws {
        let journal = try TestJournal.make()
        let first = Sink()
        var alerter = try Alerter(rule: AlertRule(failureThreshold: 2), journal: journal, sink: first, metrics: nil, log: Self.log)
        await alerter.evaluate("web", success: false, detail: "500")
        await alerter.evaluate("web", success: false, detail: "500")
        await Self.drained(alerter)
        #expect(first.titles == ["moor: web failing"])

        // Restarted: the alert is still firing, so more failures send nothing.
        let second = Sink(failing: true)
        alerter = try Alerter(rule: AlertRule(failureThreshold: 2), journal: journal, sink: second, metrics: nil, log: Self.log)
        #expect(await alerter.state("web")?.firing == true)
        await alerter.evaluate("web", success: false, detail: "500")
        await alerter.evaluate("web", success: true, detail: "200")
        await alerter.evaluate("web", success: true, detail: "200")   // resolved: its send fails
        await Self.drained(alerter)
        #expect(second.titles.isEmpty)
        #expect(await alerter.state("web")?.outbox.map(\.kind) == [.resolved])

        // Restarted again with ntfy back: the undelivered resolved message goes out once.
        let third = Sink()
        alerter = try Alerter(rule: AlertRule(failureThreshold: 2), journal: journal, sink: third, metrics: nil, log: Self.log)
        await alerter.flush()
        await Self.drained(alerter)
        #expect(third.titles == ["moor: web resolved"])
        await alerter.evaluate("web", success: true, detail: "200")
        await Self.drained(alerter)
        #expect(third.titles == ["moor: web resolved"])
    }

    @Test func aFailedSendIsRetriedAfterABackoffWithoutBlockingEvaluation() async throws {
        let journal = try TestJournal.make()
        let sink = Sink(failing: true)
        let clock = ManualClock()
        let metrics = WatchMetrics()
        let alerter = try Alerter(rule: AlertRule(failureThreshold: 1), journal: journal, sink: sink, metrics: metrics, log: Self.log,
                                  now: { clock.date })
        await alerter.evaluate("web", success: false, detail: "500")
        await Self.drained(alerter)
        #expect(sink.attempts == 1)
        #expect(metrics.render().contains("moor_alert_send_errors_total 1"))
        // Within the backoff, evaluations do not try again.
        await alerter.evaluate("web", success: false, detail: "500")
        await Self.drained(alerter)
        #expect(sink.attempts == 1)
        sink.set(failing: false)
        try await clock.sleep(for: .seconds(2))
        await alerter.evaluate("web", success: false, detail: "500")
        await Self.drained(alerter)
        #expect(sink.titles == ["moor: web failing"])
        #expect(await alerter.pending == 0)
    }

    @Test func aCheckRemovedFromTheLabFileNoLongerFires() async throws {
        let journal = try TestJournal.make()
        var alerter = try Alerter(rule: AlertRule(failureThreshold: 1), journal: journal, sink: nil, metrics: nil, log: Self.log)
        await alerter.evaluate("gone", success: false, detail: "500")
        await alerter.evaluate("web", success: false, detail: "500")
        let metrics = WatchMetrics()
        alerter = try Alerter(rule: AlertRule(failureThreshold: 1), journal: journal, sink: nil, metrics: metrics, log: Self.log, names: ["web"])
        #expect(await alerter.state("gone") == nil)
        #expect(await alerter.state("web")?.firing == true)
        #expect(metrics.render().contains("moor_alert_firing{check=\"web\"} 1"))
        #expect(!metrics.render().contains("gone"))
    }

    @Test func withoutASinkNothingPilesUp() async throws {
        let alerter = try Alerter(rule: AlertRule(failureThreshold: 1), journal: try TestJournal.make(), sink: nil, metrics: nil, log: Self.log)
        for _ in 0..<5 { await alerter.evaluate("web", success: false, detail: "500") }
        #expect(await alerter.pending == 0)
        #expect(await alerter.state("web")?.firing == true)
    }
}
