import Foundation

/// One run of a check as the journal keeps it: small, so 41 checks every minute fit.
public struct CheckRun: Sendable, Equatable, Codable {
    public enum State: Int, Sendable, Codable {
        case ok = 0, warn = 1, fail = 2

        /// `ok`, `warn`, `fail`: as checks and the page name it.
        public var name: String { ["ok", "warn", "fail"][rawValue] }
    }

    public var at: Date
    public var state: State
    public var durationMs: Double
    /// The failing layer (`dns`, `tcp`, `tls`, `http`, `expect`, `command`…), nil when ok.
    public var layer: String?
    /// The one-line detail, kept only for a run that did not pass.
    public var detail: String?
    /// The certificate's expiry, when the check saw one.
    public var certificateExpiry: Date?

    public init(at: Date, state: State, durationMs: Double, layer: String? = nil, detail: String? = nil, certificateExpiry: Date? = nil) {
        self.at = at
        self.state = state
        self.durationMs = durationMs
        self.layer = layer
        self.detail = detail
        self.certificateExpiry = certificateExpiry
    }

    /// Up for uptime and alerting: only `fail` is down.
    public var up: Bool { state != .fail }
}

/// One day (or hour) of a check: how many runs, how many failed, their total duration.
public struct CheckAggregate: Sendable, Equatable, Codable {
    /// `YYYY-MM-DD` in the watch machine's time zone (a day), or the hour's start (ISO 8601).
    public var period: String
    public var runs: Int
    public var failures: Int
    public var durationMsTotal: Double

    public init(period: String, runs: Int, failures: Int, durationMsTotal: Double) {
        self.period = period
        self.runs = runs
        self.failures = failures
        self.durationMsTotal = durationMsTotal
    }

    /// The share of runs that passed, 0…1; nil for a period without runs.
    public var uptime: Double? { runs == 0 ? nil : Double(runs - failures) / Double(runs) }
}

/// Which calendar day and hour a run counts in.
public struct HistoryCalendar: Sendable {
    public var timeZone: TimeZone

    public init(timeZone: TimeZone = .current) { self.timeZone = timeZone }

    /// `YYYY-MM-DD` of `date` in the time zone.
    public func day(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }

    /// The hours since the epoch (UTC hours: every zone's hours start on the same instants
    /// but for a few half-hour zones, which then count in the hour they start in).
    public func hour(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 / 3600).rounded(.down)) }

    /// The last `count` days up to and including `date`'s, oldest first.
    public func days(endingAt date: Date, count: Int) -> [String] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let start = calendar.startOfDay(for: date)
        return (0..<count).reversed().map { back in
            day(calendar.date(byAdding: .day, value: -back, to: start).map { $0.addingTimeInterval(3600 * 12) } ?? start)
        }
    }
}

/// How long the journal keeps what: aggregates for `history` (90 days by default), single
/// runs for two days (and always a check's last 48), pruned a bounded batch at a time.
public struct HistoryRetention: Sendable, Equatable {
    public var days: Int
    public var runsFor: TimeInterval = 2 * 86_400
    public var keepLastRuns = 48
    /// At most this many rows go in one prune, so a prune never holds the journal long.
    public var pruneBatch = 500

    public init(days: Int = 90) { self.days = days }
}

extension CheckSpec.Target {
    /// The target as the status page shows it: a URL without its user and password.
    public var display: String {
        switch self {
        case .url(let url): Self.withoutCredentials(url)
        case .tcp(let address): "tcp://" + address
        case .tls(let address): "tls://" + address
        case .postgres(let address): "postgres://" + Self.withoutCredentials(address)
        case .command(let argv): argv.joined(separator: " ")
        }
    }

    static func withoutCredentials(_ text: String) -> String {
        guard var parts = URLComponents(string: text), parts.user != nil || parts.password != nil else { return text }
        parts.user = nil
        parts.password = nil
        return parts.string ?? text
    }
}
