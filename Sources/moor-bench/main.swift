import Foundation
import MoorCore
import MoorJournal
import MoorWatch

/// The status page's measurements, driving moor's own journal and board code (a benchmark
/// tool, not something users run; `benchmarks/status_page.py` runs it):
///
///   moor-bench history-fill JOURNAL [--checks 41] [--interval 60] [--days 90]
///       writes the journal a watch keeps at steady state after `--days` of `--checks`
///       checks every `--interval` seconds: the last two days at the interval (the runs kept),
///       the days before at one run an hour (the hourly and daily rows are what is kept of
///       them). Prints JSON: rows written, results represented, bytes.
///   moor-bench history-query JOURNAL [--checks 41] [--repeat 200]
///       times the 90-day query of one check, the whole page's data (every check), and the
///       page's HTML, against two baselines in the same run (`SELECT 1`, and reading one
///       check's raw runs of two days). Prints JSON, times in microseconds (medians).
@main
struct MoorBench {
    static func main() throws {
        var arguments = Array(CommandLine.arguments.dropFirst())
        guard arguments.count >= 2 else { fail("usage: moor-bench history-fill|history-query JOURNAL [options]") }
        let command = arguments.removeFirst(), path = arguments.removeFirst()
        func option(_ name: String, _ fallback: Int) -> Int {
            guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count, let value = Int(arguments[index + 1]) else { return fallback }
            return value
        }
        let checks = option("--checks", 41)
        switch command {
        case "history-fill": try fill(path, checks: checks, interval: option("--interval", 60), days: option("--days", 90))
        case "history-query": try query(path, checks: checks, repeats: option("--repeat", 200))
        default: fail("unknown command \(command)")
        }
    }

    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data((message + "\n").utf8))
        exit(2)
    }

    static func names(_ checks: Int) -> [String] { (0..<checks).map { $0 == checks - 1 ? "port" : String(format: "web-%02d", $0) } }

    static func fill(_ path: String, checks: Int, interval: Int, days: Int) throws {
        let journal = try SQLiteJournal(path: path)
        let calendar = HistoryCalendar()
        let retention = HistoryRetention(days: days)
        let now = Date()
        let start = now.addingTimeInterval(-Double(days) * 86_400)
        let recent = now.addingTimeInterval(-retention.runsFor)
        var rows = 0, recentRows = 0
        let clock = ContinuousClock.now
        var at = start
        var index = 0
        while at < now {
            let inRecent = at >= recent
            for (offset, name) in names(checks).enumerated() {
                // One check in twenty fails one run in fifty: aggregates with failures.
                let failed = offset % 20 == 0 && index % 50 == 0
                let run = CheckRun(at: at.addingTimeInterval(Double(offset) * 0.9), state: failed ? .fail : .ok, durationMs: Double(8 + (index + offset) % 30),
                                   layer: failed ? "tls" : nil, detail: failed ? "tls: certificate expired 3 days ago" : nil,
                                   certificateExpiry: name == "port" ? nil : now.addingTimeInterval(60 * 86_400))
                try journal.recordCheckRun(run, check: name, calendar: calendar, retention: retention)
                rows += 1
                if inRecent { recentRows += 1 }
            }
            at = at.addingTimeInterval(inRecent ? Double(interval) : 3600)
            index += 1
        }
        _ = try journal.pruneHistory(now: now, calendar: calendar, retention: retention)
        try journal.checkpoint()
        let seconds = (ContinuousClock.now - clock).inSeconds
        let bytes = size(path)
        let represented = checks * days * 86_400 / interval
        print(json([
            "checks": checks, "intervalSeconds": interval, "days": days,
            "rowsWritten": rows, "runsKept": recentRows, "resultsRepresented": represented,
            "bytes": bytes, "bytesPerResult": Double(bytes) / Double(represented),
            "fillSeconds": seconds,
        ]))
    }

    static func query(_ path: String, checks: Int, repeats: Int) throws {
        let journal = try SQLiteJournal(path: path)
        var text = "version: 1\nchecks:\n"
        for name in names(checks) {
            text += name == "port" ? "  - name: port\n    tcp: 127.0.0.1:1\n" : "  - name: \(name)\n    url: https://127.0.0.1:1/health\n    tags: [apps]\n"
        }
        let lab = try LabLoader.load(text: text, file: "bench.yaml").get()
        let board = StatusBoard(lab: lab, journal: journal, retention: HistoryRetention(days: 90))
        let calendar = HistoryCalendar()
        let firstDay = calendar.days(endingAt: Date(), count: 90).first ?? calendar.day(Date())
        func median(_ body: () throws -> Void) rethrows -> Double {
            var samples: [Double] = []
            for _ in 0..<repeats {
                let start = ContinuousClock.now
                try body()
                samples.append((ContinuousClock.now - start).inSeconds * 1_000_000)
            }
            return samples.sorted()[samples.count / 2]
        }
        let select1 = try median { _ = try journal.select1() }
        var cells = 0
        let days90 = try median { cells = try journal.days(check: "web-07", fromDay: firstDay).count }
        var kept = 0
        let raw2 = try median { kept = try journal.runs(check: "web-07", since: Date().addingTimeInterval(-2 * 86_400)).count }
        var status = board.status()
        let pageData = median { status = board.status() }
        var html = ""
        let render = median { html = StatusPage(status: status, refreshMilliseconds: 60_000).render() }
        print(json([
            "repeats": repeats, "select1Us": select1, "days90Us": days90, "days90Cells": cells,
            "rawTwoDaysUs": raw2, "rawTwoDaysRuns": kept, "pageDataUs": pageData, "pageRenderUs": render,
            "pageBytes": html.utf8.count, "checks": status.checks.count,
        ]))
    }

    static func size(_ path: String) -> Int {
        [path, path + "-wal"].reduce(0) { $0 + ((try? FileManager.default.attributesOfItem(atPath: $1)[.size] as? Int) ?? 0) }
    }

    static func json(_ values: [String: Any]) -> String {
        (try? JSONSerialization.data(withJSONObject: values, options: [.sortedKeys])).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}

extension Duration {
    var inSeconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
