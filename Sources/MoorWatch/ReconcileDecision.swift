import MoorCore

/// What watch does with a plan of the cluster loop. Pure, so every case is tested.
public enum ReconcileDecision: Equatable, Sendable {
    case inSync
    /// Apply these changes (start a stopped cluster, re-sync the exposure, mirrors).
    case apply([Change])
    /// Not something watch does alone: the alert to raise and why.
    case needsPerson(alert: String, detail: String)

    /// Watch never creates or recreates a cluster (that loses volumes, or takes a person's
    /// decision); it starts a stopped one only with `autoStart`.
    public static func decide(_ changes: [Change], autoStart: Bool) -> ReconcileDecision {
        if changes.isEmpty { return .inSync }
        if let change = changes.first(where: { $0.id.isCluster && ($0.action == .recreate || $0.action == .create) }) {
            let how = change.action == .create ? "run `moor up` to create it" : "run `moor migrate` (keeps the volumes)"
            return .needsPerson(alert: "recreate-needed", detail: "\(change.summary); watch does not do this by itself: \(how)")
        }
        if let change = changes.first(where: { $0.action == .managedElsewhere }) {
            return .needsPerson(alert: "managed-elsewhere", detail: change.summary)
        }
        if !autoStart, let change = changes.first(where: { $0.id.isCluster && $0.action == .start }) {
            return .needsPerson(alert: "cluster-stopped", detail: "\(change.summary); `watch.autoStart` is off: run `moor up`")
        }
        return .apply(changes)
    }

    /// Watch's own alerts, besides one per check.
    public static let alertNames = WatchSpec.ownAlerts
}
