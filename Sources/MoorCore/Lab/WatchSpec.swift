/// `watch:`: what `moor watch` keeps converged, how often it checks, where it alerts and
/// where it publishes metrics. Durations are in milliseconds.
public struct WatchSpec: Sendable, Equatable {
    public var reconcileMilliseconds = 60_000
    public var autoStart = true
    public var checksMilliseconds = 60_000
    public var metrics = Metrics()
    public var alerts = Alerts()
    /// `watch.page`: serve the status page on the metrics address; nil means "when
    /// `metrics.listen` is set".
    public var page: Bool?
    /// `watch.history`: how many days of check history the journal keeps (90).
    public var historyDays = 90

    public init() {}

    /// Whether `moor watch` serves the status page.
    public var servesPage: Bool { metrics.listen != nil && page != false }

    /// Watch's own alerts, besides one per check; they share the `check` label of
    /// `moor_alert_firing`, so no check may take these names in a lab file that has `watch`.
    public static let ownAlerts = ["reconcile", "recreate-needed", "cluster-stopped", "managed-elsewhere", "backup"]

    public struct Metrics: Sendable, Equatable {
        /// `host:port` for /metrics and /healthz; nil serves none.
        public var listen: String?
        /// A node_exporter textfile, written atomically.
        public var textfile: String?
        public var allowRemote = false

        public init() {}
    }

    public struct Alerts: Sendable, Equatable {
        public var rule = AlertRule()
        public var ntfy: Ntfy?

        public init() {}
    }

    public struct Ntfy: Sendable, Equatable {
        public var url = "https://ntfy.sh"
        public var topic: String
        /// A secret template such as `{{ env://NTFY_TOKEN }}` or `{{ op://… }}`: resolved at
        /// start, kept in memory only.
        public var token: String?
        public var priority: Int?

        public init(topic: String) { self.topic = topic }
    }
}
