import Foundation
import Testing
import MoorCore
@testable import MoorJournal
import MoorTestSupport

/// Check history in the journal: runs, hourly and daily aggregates, bounded pruning, a
/// restart (the file opened again), incidents and doctor findings.
struct HistoryTests {
    let utc = HistoryCalendar(timeZone: TimeZone(identifier: "UTC")!)
    /// 2026-12-01 12:00:00 UTC.
    let noon = Date(timeIntervalSince1970: 1_796_126_400)

    @Test func runsAddUpByHourAndDayAndOnlyFailuresKeepTheirDetail() throws {
        let journal = try TestJournal.make()
        let retention = HistoryRetention()
        for minute in 0..<10 {
            let failed = minute >= 8
            try journal.recordCheckRun(CheckRun(at: noon.addingTimeInterval(Double(minute) * 60), state: failed ? .fail : .ok, durationMs: 10 + Double(minute),
                                                layer: failed ? "tls" : nil, detail: failed ? "tls: certificate expired" : "200 in 10 ms"),
                                       check: "web", calendar: utc, retention: retention)
        }
        // Yesterday: one failed run.
        try journal.recordCheckRun(CheckRun(at: noon.addingTimeInterval(-86_400), state: .fail, durationMs: 5, layer: "dns", detail: "dns: no such host"),
                                   check: "web", calendar: utc, retention: retention)
        let days = try journal.days(check: "web", fromDay: "2026-11-01")
        #expect(days.map(\.period) == ["2026-11-30", "2026-12-01"])
        #expect(days.map(\.runs) == [1, 10])
        #expect(days.map(\.failures) == [1, 2])
        #expect(days[1].uptime == 0.8)
        #expect(days[1].durationMsTotal == Double((0..<10).map { 10 + $0 }.reduce(0, +)))

        let recent = try journal.recentRuns(check: "web", limit: 3)
        #expect(recent.map(\.state) == [.fail, .fail, .ok])
        #expect(recent[0].layer == "tls" && recent[0].detail == "tls: certificate expired")
        #expect(recent[2].detail == nil, "a passing run keeps no detail")

        let lastDay = try journal.totals(fromHour: utc.hour(noon) - 23)
        #expect(lastDay["web"]?.runs == 10 && lastDay["web"]?.failures == 2)
        let twoDays = try journal.totals(fromHour: utc.hour(noon) - 47)
        #expect(twoDays["web"]?.runs == 11 && twoDays["web"]?.failures == 3)
        #expect(try journal.checkNames() == ["web"])
        #expect(try journal.runs(check: "web", since: noon.addingTimeInterval(8 * 60)).count == 2)
    }

    @Test func theSnapshotSaysWhatTheSingleReadsSay() throws {
        let journal = try TestJournal.make()
        for step in 0..<200 {
            for check in ["a", "b", "c"] {
                let failed = check == "b" && step % 7 == 0
                try journal.recordCheckRun(CheckRun(at: noon.addingTimeInterval(Double(step - 150) * 1800), state: failed ? .fail : .ok, durationMs: Double(step),
                                                    layer: failed ? "http" : nil, detail: failed ? "http: 500" : nil),
                                           check: check, calendar: utc, retention: HistoryRetention())
            }
        }
        let hours = [utc.hour(noon) - 23, utc.hour(noon) - 24 * 7 + 1, utc.hour(noon) - 24 * 30 + 1]
        let snapshot = try journal.snapshot(checks: ["a", "b", "c", "never-ran"], recent: 48, fromDay: "2026-11-25", fromHours: hours)
        for check in ["a", "b", "c"] {
            #expect(snapshot.recent[check] == (try journal.recentRuns(check: check, limit: 48)))
            #expect(snapshot.days[check] == (try journal.days(check: check, fromDay: "2026-11-25")))
            for (index, hour) in hours.enumerated() {
                let single = try journal.totals(fromHour: hour)[check]
                #expect(snapshot.totals[index][check]?.runs == single?.runs && snapshot.totals[index][check]?.failures == single?.failures)
            }
        }
        #expect(snapshot.recent["never-ran"] == [] && snapshot.days["never-ran"] == nil)
        #expect((snapshot.totals[0]["b"]?.failures ?? 0) > 0)
    }

    @Test func historyIsStillThereAfterTheJournalIsOpenedAgain() throws {
        let scratch = try Scratch("moor-history")
        let path = scratch.path + "/journal.sqlite"
        do {
            let journal = try SQLiteJournal(path: path)
            try journal.recordCheckRun(CheckRun(at: noon, state: .ok, durationMs: 12), check: "api", calendar: utc, retention: HistoryRetention())
            try journal.openIncident(name: "api", at: noon, message: "moor: api failing\ntcp: connection refused")
        }
        let again = try SQLiteJournal(path: path)
        #expect(try again.recentRuns(check: "api", limit: 48).count == 1)
        #expect(try again.days(check: "api", fromDay: "2026-12-01").first?.runs == 1)
        #expect(try again.incidents(limit: 10).first?.message.hasPrefix("moor: api failing") == true)
    }

    @Test func pruningIsBoundedAndKeepsTheLastRunsAndTheRetainedDays() throws {
        let journal = try TestJournal.make()
        var retention = HistoryRetention(days: 3)
        retention.pruneBatch = 100
        retention.keepLastRuns = 5
        // Five days of a run every 10 minutes: 720 runs, most of them past the two days kept.
        let start = noon.addingTimeInterval(-5 * 86_400)
        var big = retention
        big.pruneBatch = 0   // record without pruning, to prune by hand below
        for step in 0..<720 {
            try journal.recordCheckRun(CheckRun(at: start.addingTimeInterval(Double(step) * 600), state: .ok, durationMs: 1),
                                       check: "slow", calendar: utc, retention: big)
        }
        #expect(try journal.recentRuns(check: "slow", limit: 1000).count == 720)
        let first = try journal.pruneHistory(now: noon, calendar: utc, retention: retention)
        #expect(first <= 3 * 100, "one prune deleted \(first) rows, more than its batches")
        #expect(first > 0)
        var rounds = 1
        while try journal.pruneHistory(now: noon, calendar: utc, retention: retention) > 0 { rounds += 1 }
        #expect(rounds > 1, "the old runs needed several bounded prunes")
        let kept = try journal.recentRuns(check: "slow", limit: 1000)
        #expect(kept.allSatisfy { $0.at >= noon.addingTimeInterval(-2 * 86_400) })
        #expect(kept.count >= 280)
        let days = try journal.days(check: "slow", fromDay: "2000-01-01")
        #expect(days.map(\.period) == ["2026-11-29", "2026-11-30", "2026-12-01"], "aggregates past the retention's 3 days go")

        // A check that runs rarely keeps its last runs for the bar even when they are old.
        try journal.recordCheckRun(CheckRun(at: noon.addingTimeInterval(-10 * 86_400), state: .fail, durationMs: 1), check: "weekly", calendar: utc, retention: big)
        try journal.pruneHistory(now: noon, calendar: utc, retention: retention)
        #expect(try journal.recentRuns(check: "weekly", limit: 5).count == 1)
    }

    @Test func incidentsOpenAndResolveNewestFirst() throws {
        let journal = try TestJournal.make()
        try journal.openIncident(name: "web", at: noon, message: "moor: web failing\nhttp: 500")
        try journal.resolveIncident(name: "web", at: noon.addingTimeInterval(300), message: "moor: web resolved")
        try journal.openIncident(name: "web", at: noon.addingTimeInterval(600), message: "moor: web failing\nhttp: 502")
        try journal.openIncident(name: "nas", at: noon.addingTimeInterval(700), message: "moor: nas failing")
        let incidents = try journal.incidents(limit: 10)
        #expect(incidents.map(\.name) == ["nas", "web", "web"])
        #expect(incidents[1].resolvedAt == nil && incidents[1].message.hasSuffix("502"))
        #expect(incidents[2].duration == 300 && incidents[2].resolution == "moor: web resolved")
    }

    @Test func doctorFindingsReplaceThePreviousRun() throws {
        let journal = try TestJournal.make()
        #expect(try journal.lastDoctorFindings() == nil)
        try journal.saveDoctorFindings(DoctorFindings(ranAt: noon, findings: [.init(id: "a", verdict: "fail", summary: "x", fix: nil, fixSafe: nil, cluster: nil)]))
        let second = DoctorFindings(ranAt: noon.addingTimeInterval(60), findings: [
            .init(id: "mirrors-used", verdict: "fail", summary: "ignored", fix: "set containerRuntime: containerd", fixSafe: false, cluster: nil),
        ])
        try journal.saveDoctorFindings(second)
        #expect(try journal.lastDoctorFindings() == second)
    }
}
