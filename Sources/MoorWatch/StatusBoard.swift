import Foundation
import MoorCore
import MoorEngine
import MoorJournal
import Synchronization

/// What the status page knows, fed by watch's loops and read by its HTTP server: each
/// check's last result and the cluster loop's last observation in memory; the history,
/// incidents and doctor findings in the journal. Reading it never starts a command.
public final class StatusBoard: Sendable {
    struct Memory: Sendable {
        var lastResults: [String: CheckResult] = [:]
        var lastRunAt: [String: Date] = [:]
        var clusters: [String: LabStatus.Cluster] = [:]
        var reconciles: [String: LabStatus.Cluster.Reconcile] = [:]
        var restarts: [String: Date] = [:]
        var apps: [LabStatus.Argo.App]?
        var appsAt: Date?
        var lastObservation: Date?
    }

    let lab: LabFile
    let journal: any Journal
    let calendar: HistoryCalendar
    let retention: HistoryRetention
    let now: @Sendable () -> Date
    let memory = Mutex(Memory())

    public init(lab: LabFile, journal: any Journal, retention: HistoryRetention, calendar: HistoryCalendar = HistoryCalendar(),
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.lab = lab
        self.journal = journal
        self.retention = retention
        self.calendar = calendar
        self.now = now
        memory.withLock { memory in
            for spec in lab.clusters {
                memory.clusters[Self.id(spec, lab)] = LabStatus.Cluster(name: Self.id(spec, lab), provider: spec.provider.description, state: "unknown",
                                                                       host: spec.host ?? "this machine")
            }
        }
    }

    static func id(_ spec: ClusterSpec, _ lab: LabFile) -> String { lab.namesClusters ? spec.id : spec.name }

    // MARK: feeding it

    /// One check's result: kept in memory and journaled (the history survives a restart).
    public func record(_ result: CheckResult) {
        let at = now()
        memory.withLock { memory in
            memory.lastResults[result.name] = result
            memory.lastRunAt[result.name] = at
            memory.lastObservation = at
        }
        let run = CheckRun(at: at, state: CheckRun.State(result.state), durationMs: result.durationMs, layer: result.failingLayer,
                           detail: result.state == .ok ? nil : result.detail, certificateExpiry: result.certificate?.earliestExpiry)
        try? journal.recordCheckRun(run, check: result.name, calendar: calendar, retention: retention)
    }

    public func clusterObserved(_ cluster: LabStatus.Cluster) {
        memory.withLock { memory in
            var cluster = cluster
            let before = memory.clusters[cluster.name]
            cluster.lastRestart = memory.restarts[cluster.name]
            cluster.lastReconcile = memory.reconciles[cluster.name]
            // Seen going from not running to running: that is a restart too.
            if let before, before.state != "running", before.state != "unknown", cluster.state == "running" {
                memory.restarts[cluster.name] = now()
                cluster.lastRestart = memory.restarts[cluster.name]
            }
            memory.clusters[cluster.name] = cluster
            memory.lastObservation = now()
        }
    }

    public func reconciled(_ cluster: String, outcome: String, detail: String?) {
        memory.withLock { memory in
            let reconcile = LabStatus.Cluster.Reconcile(at: now(), outcome: outcome, detail: detail)
            memory.reconciles[cluster] = reconcile
            memory.clusters[cluster]?.lastReconcile = reconcile
        }
    }

    /// The node container started (a docker event at `at`) or moor started the cluster.
    public func restarted(_ cluster: String, at: Date) {
        memory.withLock { memory in
            memory.restarts[cluster] = at
            memory.clusters[cluster]?.lastRestart = at
        }
    }

    public func appsListed(_ apps: [LabStatus.Argo.App]) {
        memory.withLock { memory in
            memory.apps = apps
            memory.appsAt = now()
        }
    }

    // MARK: reading it

    /// The whole page's data: memory, and one journal read (`HistoryJournal.snapshot`).
    public func status() -> LabStatus {
        let at = now()
        let snapshot = memory.withLock { $0 }
        let hour = calendar.hour(at)
        let dayList = calendar.days(endingAt: at, count: retention.days)
        let history = (try? journal.snapshot(checks: lab.checks.map(\.name), recent: 48, fromDay: dayList.first ?? calendar.day(at),
                                             fromHours: [hour - 23])) ?? HistorySnapshot()
        let checks = lab.checks.map { spec in check(spec, snapshot: snapshot, at: at, history: history, dayList: dayList) }
        let clusters = lab.clusters.compactMap { snapshot.clusters[Self.id($0, lab)] }
        let argo = lab.gitops.map { gitops in
            LabStatus.Argo(revision: gitops.revision, observedAt: snapshot.appsAt, apps: snapshot.apps ?? [])
        }
        let incidents = (try? journal.incidents(limit: 50)) ?? []
        return LabStatus(generatedAt: at, lastObservation: snapshot.lastObservation, clusters: clusters, argocd: argo, checks: checks,
                         incidents: incidents, doctor: try? journal.lastDoctorFindings())
    }

    func check(_ spec: CheckSpec, snapshot: Memory, at: Date, history: HistorySnapshot, dayList: [String]) -> LabStatus.Check {
        let recent = (history.recent[spec.name] ?? []).reversed()
        let byDay = Dictionary((history.days[spec.name] ?? []).map { ($0.period, $0) }) { a, _ in a }
        let days = dayList.map { day in LabStatus.Check.Day(day: day, runs: byDay[day]?.runs ?? 0, failures: byDay[day]?.failures ?? 0) }
        let last = snapshot.lastResults[spec.name]
        let lastRun = recent.last
        let state = last.map { $0.state.rawValue } ?? lastRun?.state.name ?? "pending"
        let expiry = last?.certificate?.earliestExpiry ?? lastRun?.certificateExpiry
        return LabStatus.Check(
            name: spec.name, tags: spec.tags, target: spec.target.display, cluster: lab.namesClusters ? spec.cluster : nil,
            state: state, layer: last.map { $0.failingLayer } ?? lastRun?.layer, detail: last?.detail ?? lastRun?.detail,
            lastRunAt: snapshot.lastRunAt[spec.name] ?? lastRun?.at,
            certificateDaysLeft: expiry.map { Int(($0.timeIntervalSince(at) / 86_400).rounded(.down)) },
            recent: recent.map { LabStatus.Check.Result(at: $0.at, state: $0.state.name, durationMs: $0.durationMs) },
            days: days, uptime: Self.uptime(last24h: history.totals.first?[spec.name], days: history.days[spec.name] ?? [], dayList: dayList))
    }

    /// 24 h from the hourly rows (the last 24 hours, this one included); 7 d and 30 d from the
    /// daily rows (the last 7 and 30 calendar days, today included), which the page reads anyway.
    static func uptime(last24h: CheckAggregate?, days: [CheckAggregate], dayList: [String]) -> LabStatus.Check.Uptime {
        func over(_ count: Int) -> Double? {
            let wanted = Set(dayList.suffix(count))
            let runs = days.filter { wanted.contains($0.period) }
            return CheckAggregate(period: "", runs: runs.reduce(0) { $0 + $1.runs }, failures: runs.reduce(0) { $0 + $1.failures }, durationMsTotal: 0).uptime
        }
        return .init(h24: last24h?.uptime, d7: over(7), d30: over(30))
    }

    /// One check's uptimes, read as the page reads them.
    func uptime(_ name: String, at: Date) -> LabStatus.Check.Uptime {
        let dayList = calendar.days(endingAt: at, count: 30)
        let history = (try? journal.snapshot(checks: [], recent: 0, fromDay: dayList.first ?? calendar.day(at), fromHours: [calendar.hour(at) - 23]))
            ?? HistorySnapshot()
        return Self.uptime(last24h: history.totals.first?[name], days: history.days[name] ?? [], dayList: dayList)
    }

    /// `GET /api/v1/checks/<name>/history?days=N`: nil for a check the lab file does not have.
    public func history(_ name: String, days: Int) -> CheckHistoryResponse? {
        guard lab.checks.contains(where: { $0.name == name }) else { return nil }
        let at = now()
        let dayList = calendar.days(endingAt: at, count: days)
        let byDay = Dictionary(((try? journal.days(check: name, fromDay: dayList.first ?? calendar.day(at))) ?? []).map { ($0.period, $0) }) { a, _ in a }
        let runs = (try? journal.runs(check: name, since: at.addingTimeInterval(-retention.runsFor))) ?? []
        return CheckHistoryResponse(
            check: name, generatedAt: at,
            days: dayList.map { LabStatus.Check.Day(day: $0, runs: byDay[$0]?.runs ?? 0, failures: byDay[$0]?.failures ?? 0) },
            runs: runs.map { CheckHistoryResponse.Run(at: $0.at, state: $0.state.name, durationMs: $0.durationMs,
                                                      layer: $0.layer, detail: $0.detail) },
            uptime: uptime(name, at: at))
    }

    /// A badge's uptime: nil check → nil (404).
    public func badge(_ name: String, window: UptimeBadge.Window) -> UptimeBadge? {
        guard lab.checks.contains(where: { $0.name == name }) else { return nil }
        let uptime = uptime(name, at: now())
        let value = switch window {
        case .h24: uptime.h24
        case .d7: uptime.d7
        case .d30: uptime.d30
        }
        return UptimeBadge(check: name, window: window, uptime: value)
    }
}

/// The JSON of `/api/v1/checks/<name>/history`.
public struct CheckHistoryResponse: Sendable, Equatable, Codable {
    public struct Run: Sendable, Equatable, Codable {
        public var at: Date
        public var state: String
        public var durationMs: Double
        public var layer: String?
        public var detail: String?
    }

    public var check: String
    public var generatedAt: Date
    /// One entry a day, oldest first.
    public var days: [LabStatus.Check.Day]
    /// Every run still kept (two days), oldest first.
    public var runs: [Run]
    public var uptime: LabStatus.Check.Uptime
}

extension CheckRun.State {
    init(_ state: CheckResult.State) {
        switch state {
        case .ok: self = .ok
        case .warn: self = .warn
        case .fail: self = .fail
        }
    }
}
