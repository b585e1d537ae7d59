import Foundation

/// Everything the status page shows, as one document: `GET /api/v1/status` is this encoded,
/// and the page is rendered from the same value, so the two cannot say different things.
public struct LabStatus: Sendable, Equatable, Codable {
    public var generatedAt: Date
    /// When moor last observed the cluster loop or ran a check.
    public var lastObservation: Date?
    public var overall: Overall
    public var clusters: [Cluster]
    public var argocd: Argo?
    public var checks: [Check]
    public var incidents: [Incident]
    public var doctor: DoctorFindings?

    public init(generatedAt: Date, lastObservation: Date?, clusters: [Cluster], argocd: Argo?, checks: [Check],
                incidents: [Incident], doctor: DoctorFindings?) {
        self.generatedAt = generatedAt
        self.lastObservation = lastObservation
        self.clusters = clusters
        self.argocd = argocd
        self.checks = checks
        self.incidents = incidents
        self.doctor = doctor
        overall = Overall(problems: Self.problems(clusters: clusters, argocd: argocd, checks: checks, incidents: incidents, doctor: doctor))
    }

    public struct Overall: Sendable, Equatable, Codable {
        /// `ok` or `problems`.
        public var state: String
        /// One line each, in page order.
        public var problems: [String]

        public init(problems: [String]) {
            self.problems = problems
            state = problems.isEmpty ? "ok" : "problems"
        }
    }

    public struct Cluster: Sendable, Equatable, Codable {
        public struct Mirror: Sendable, Equatable, Codable {
            public var registry: String
            public var endpoint: String
            /// The file is as the lab file says.
            public var written: Bool
            /// `in use`, `ignored by the docker runtime`, or `unknown` (the node is not running).
            public var use: String

            public init(registry: String, endpoint: String, written: Bool, use: String) {
                self.registry = registry
                self.endpoint = endpoint
                self.written = written
                self.use = use
            }
        }

        public struct Exposure: Sendable, Equatable, Codable {
            public var resource: String
            /// Where the tailnet forwards now (`tcp://127.0.0.1:32771`), nil when nothing.
            public var target: String?
            /// It forwards to the API server's current host port.
            public var matches: Bool

            public init(resource: String, target: String?, matches: Bool) {
                self.resource = resource
                self.target = target
                self.matches = matches
            }
        }

        public struct Reconcile: Sendable, Equatable, Codable {
            public var at: Date
            /// `in sync`, `applied`, `needs a person`, `failed`.
            public var outcome: String
            public var detail: String?

            public init(at: Date, outcome: String, detail: String?) {
                self.at = at
                self.outcome = outcome
                self.detail = detail
            }
        }

        public var name: String
        public var provider: String
        /// `running`, `stopped`, `absent`, `paused`, `error`, or `unknown` before the first look.
        public var state: String
        public var host: String
        public var kubernetesVersion: String?
        public var apiServerPort: Int?
        public var exposure: Exposure?
        public var mirrors: [Mirror]
        /// When watch last saw it start (a container `start` event, or moor starting it).
        public var lastRestart: Date?
        public var lastReconcile: Reconcile?

        public init(name: String, provider: String, state: String, host: String, kubernetesVersion: String? = nil, apiServerPort: Int? = nil,
                    exposure: Exposure? = nil, mirrors: [Mirror] = [], lastRestart: Date? = nil, lastReconcile: Reconcile? = nil) {
            self.name = name
            self.provider = provider
            self.state = state
            self.host = host
            self.kubernetesVersion = kubernetesVersion
            self.apiServerPort = apiServerPort
            self.exposure = exposure
            self.mirrors = mirrors
            self.lastRestart = lastRestart
            self.lastReconcile = lastReconcile
        }
    }

    public struct Argo: Sendable, Equatable, Codable {
        public struct App: Sendable, Equatable, Codable {
            public var name: String
            public var cluster: String?
            public var sync: String
            public var health: String
            public var syncedRevision: String?
            public var targetRevision: String
            public var onTarget: Bool
            /// The likely cause when it is not Healthy, as `moor up` names it.
            public var cause: String?

            public init(name: String, cluster: String?, sync: String, health: String, syncedRevision: String?, targetRevision: String,
                        onTarget: Bool, cause: String?) {
                self.name = name
                self.cluster = cluster
                self.sync = sync
                self.health = health
                self.syncedRevision = syncedRevision
                self.targetRevision = targetRevision
                self.onTarget = onTarget
                self.cause = cause
            }

            public var healthy: Bool { sync == "Synced" && health == "Healthy" }
        }

        /// `gitops.argocd.revision`.
        public var revision: String?
        public var observedAt: Date?
        public var apps: [App]

        public init(revision: String?, observedAt: Date?, apps: [App]) {
            self.revision = revision
            self.observedAt = observedAt
            self.apps = apps
        }
    }

    public struct Check: Sendable, Equatable, Codable {
        public struct Uptime: Sendable, Equatable, Codable {
            /// 0…1, nil without runs in the window.
            public var h24: Double?
            public var d7: Double?
            public var d30: Double?

            public init(h24: Double?, d7: Double?, d30: Double?) {
                self.h24 = h24
                self.d7 = d7
                self.d30 = d30
            }
        }

        public struct Result: Sendable, Equatable, Codable {
            public var at: Date
            /// `ok`, `warn`, `fail`.
            public var state: String
            public var durationMs: Double

            public init(at: Date, state: String, durationMs: Double) {
                self.at = at
                self.state = state
                self.durationMs = durationMs
            }
        }

        public struct Day: Sendable, Equatable, Codable {
            public var day: String
            public var runs: Int
            public var failures: Int
            public var uptime: Double?

            public init(day: String, runs: Int, failures: Int) {
                self.day = day
                self.runs = runs
                self.failures = failures
                uptime = runs == 0 ? nil : Double(runs - failures) / Double(runs)
            }
        }

        public var name: String
        /// The first tag, or `untagged`: the page groups by it.
        public var group: String
        public var tags: [String]
        public var target: String
        public var cluster: String?
        /// `ok`, `warn`, `fail`, or `pending` before its first run.
        public var state: String
        /// The failing layer (`dns`, `tcp`, `tls`, `http`, `expect`, `command`, `setup`…).
        public var layer: String?
        public var detail: String?
        public var lastRunAt: Date?
        public var certificateDaysLeft: Int?
        /// The last 48 results, oldest first.
        public var recent: [Result]
        /// The last 90 days (or `watch.history`), oldest first; a day without runs has 0 runs.
        public var days: [Day]
        public var uptime: Uptime

        public init(name: String, tags: [String], target: String, cluster: String?, state: String, layer: String?, detail: String?,
                    lastRunAt: Date?, certificateDaysLeft: Int?, recent: [Result], days: [Day], uptime: Uptime) {
            self.name = name
            self.group = tags.first ?? "untagged"
            self.tags = tags
            self.target = target
            self.cluster = cluster
            self.state = state
            self.layer = layer
            self.detail = detail
            self.lastRunAt = lastRunAt
            self.certificateDaysLeft = certificateDaysLeft
            self.recent = recent
            self.days = days
            self.uptime = uptime
        }
    }

    static func mirrorsLine(_ registries: [String], _ cluster: String, _ state: String) -> String {
        registries.count == 1 ? "mirror \(registries[0]) on \(cluster) is \(state)"
            : "\(registries.count) mirrors on \(cluster) are \(state) (\(registries.joined(separator: ", ")))"
    }

    static func problems(clusters: [Cluster], argocd: Argo?, checks: [Check], incidents: [Incident], doctor: DoctorFindings?) -> [String] {
        var problems: [String] = []
        for cluster in clusters {
            if cluster.state != "running" { problems.append("cluster \(cluster.name) is \(cluster.state)") }
            if let exposure = cluster.exposure, !exposure.matches {
                problems.append("\(exposure.resource) forwards to \(exposure.target ?? "nothing"), not the API server's port \(cluster.apiServerPort.map(String.init) ?? "?")")
            }
            // One line for the mirrors in the same plight.
            let unwritten = cluster.mirrors.filter { !$0.written }.map(\.registry)
            if !unwritten.isEmpty { problems.append(mirrorsLine(unwritten, cluster.name, "not written")) }
            let ignored = cluster.mirrors.filter { $0.written && $0.use.hasPrefix("ignored") }
            if let use = ignored.first?.use { problems.append(mirrorsLine(ignored.map(\.registry), cluster.name, use)) }
            if let reconcile = cluster.lastReconcile, reconcile.outcome == "failed" || reconcile.outcome == "needs a person" {
                problems.append("reconcile of \(cluster.name): \(reconcile.detail ?? reconcile.outcome)")
            }
        }
        for app in argocd?.apps ?? [] where !app.healthy {
            problems.append("app \(app.name) is \(app.sync) and \(app.health)\(app.cause.map { ": \($0)" } ?? "")")
        }
        for check in checks where check.state == "fail" {
            problems.append("check \(check.name) fails\(check.layer.map { " at the \($0) layer" } ?? "")")
        }
        for incident in incidents where incident.resolvedAt == nil && !checks.contains(where: { $0.name == incident.name }) {
            problems.append("alert \(incident.name) is firing")
        }
        for finding in doctor?.findings ?? [] where finding.verdict == "fail" {
            problems.append("doctor \(finding.id): \(finding.summary)")
        }
        return problems
    }
}

/// An alert from when it fired to when it resolved (nil while it is still firing).
public struct Incident: Sendable, Equatable, Codable {
    public var name: String
    public var firedAt: Date
    public var resolvedAt: Date?
    /// The message sent when it fired (title, then detail).
    public var message: String
    public var resolution: String?

    public init(name: String, firedAt: Date, resolvedAt: Date?, message: String, resolution: String?) {
        self.name = name
        self.firedAt = firedAt
        self.resolvedAt = resolvedAt
        self.message = message
        self.resolution = resolution
    }

    public var duration: TimeInterval? { resolvedAt.map { $0.timeIntervalSince(firedAt) } }
}

/// What the status page shows of the last `moor doctor`: each finding with its fix, no
/// evidence (that is command output; the page shows what doctor concluded).
public struct DoctorFindings: Sendable, Equatable, Codable {
    public struct Finding: Sendable, Equatable, Codable {
        public var id: String
        public var verdict: String
        public var summary: String
        public var fix: String?
        public var fixSafe: Bool?
        public var cluster: String?

        public init(id: String, verdict: String, summary: String, fix: String?, fixSafe: Bool?, cluster: String?) {
            self.id = id
            self.verdict = verdict
            self.summary = summary
            self.fix = fix
            self.fixSafe = fixSafe
            self.cluster = cluster
        }
    }

    public var ranAt: Date
    public var findings: [Finding]

    public init(ranAt: Date, findings: [Finding]) {
        self.ranAt = ranAt
        self.findings = findings
    }
}
