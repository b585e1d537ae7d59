import Foundation
import MoorCore

/// What `moor watch`'s status page reads and writes in the journal: every check run (kept
/// two days, aggregated by hour and by day for `watch.history`), the incidents its alerts
/// opened and closed, and the last `moor doctor` findings.
public protocol HistoryJournal: Sendable {
    /// One run of `check`: the run, its hour and its day, in one transaction; every few
    /// runs a bounded prune of what is past retention.
    func recordCheckRun(_ run: CheckRun, check: String, calendar: HistoryCalendar, retention: HistoryRetention) throws
    /// One bounded prune of every check's history (watch runs it when it starts); returns the
    /// rows deleted.
    @discardableResult
    func pruneHistory(now: Date, calendar: HistoryCalendar, retention: HistoryRetention) throws -> Int
    /// The newest `limit` runs of `check`, newest first.
    func recentRuns(check: String, limit: Int) throws -> [CheckRun]
    /// The runs of `check` since `since`, oldest first (two days at most are kept).
    func runs(check: String, since: Date) throws -> [CheckRun]
    /// `check`'s days from `fromDay` (`YYYY-MM-DD`, inclusive), oldest first.
    func days(check: String, fromDay: String) throws -> [CheckAggregate]
    /// Every check's runs and failures since the hour `fromHour`, by check name.
    func totals(fromHour: Int64) throws -> [String: CheckAggregate]
    /// The checks the journal has runs of.
    func checkNames() throws -> [String]
    /// What the status page shows of every check, in one read: each check's newest `recent`
    /// runs, its days from `fromDay`, and its totals since each of `fromHours`.
    func snapshot(checks: [String], recent: Int, fromDay: String, fromHours: [Int64]) throws -> HistorySnapshot

    /// An alert fired: a new incident with the message that was sent.
    func openIncident(name: String, at: Date, message: String) throws
    /// The alert resolved: its open incident gets the time and the resolution's message.
    func resolveIncident(name: String, at: Date, message: String) throws
    /// The newest incidents first.
    func incidents(limit: Int) throws -> [Incident]

    /// The last `moor doctor`'s findings (JSON of `DoctorFindings`), replacing the previous.
    func saveDoctorFindings(_ findings: DoctorFindings) throws
    func lastDoctorFindings() throws -> DoctorFindings?
}

/// Every check's history as the status page reads it (`HistoryJournal.snapshot`).
public struct HistorySnapshot: Sendable, Equatable {
    /// Newest first.
    public var recent: [String: [CheckRun]] = [:]
    /// Oldest first.
    public var days: [String: [CheckAggregate]] = [:]
    /// One entry a `fromHours` value, in that order.
    public var totals: [[String: CheckAggregate]] = []

    public init() {}
}
