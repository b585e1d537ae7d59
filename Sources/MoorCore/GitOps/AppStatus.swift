/// An Application's `status.sync.status`, as ArgoCD spells it; `unknown` keeps any other.
public enum SyncStatus: Sendable, Hashable, CustomStringConvertible, ExpressibleByStringLiteral {
    case synced, outOfSync, unknown(String)

    public init(_ text: String) {
        switch text {
        case "Synced": self = .synced
        case "OutOfSync": self = .outOfSync
        default: self = .unknown(text)
        }
    }

    public init(stringLiteral value: String) { self.init(value) }

    public var description: String {
        switch self {
        case .synced: "Synced"
        case .outOfSync: "OutOfSync"
        case .unknown(let text): text
        }
    }
}

/// An Application's `status.health.status` (gitops-engine's health codes).
public enum HealthStatus: Sendable, Hashable, CustomStringConvertible, ExpressibleByStringLiteral {
    case healthy, progressing, degraded, suspended, missing, unknown(String)

    public init(_ text: String) {
        switch text {
        case "Healthy": self = .healthy
        case "Progressing": self = .progressing
        case "Degraded": self = .degraded
        case "Suspended": self = .suspended
        case "Missing": self = .missing
        default: self = .unknown(text)
        }
    }

    public init(stringLiteral value: String) { self.init(value) }

    public var description: String {
        switch self {
        case .healthy: "Healthy"
        case .progressing: "Progressing"
        case .degraded: "Degraded"
        case .suspended: "Suspended"
        case .missing: "Missing"
        case .unknown(let text): text
        }
    }

    /// Degraded or Missing: the wait for it is over, and not well.
    public var isBroken: Bool { self == .degraded || self == .missing }
}
