/// Where one app stands while moor waits on a sync.
public enum SyncProgress: Sendable, Equatable {
    case waiting(String)
    case done
    case failed(String)

    /// Synced to `revision` (when known), the operation finished and succeeded, Healthy.
    /// Degraded, Missing, a comparison error or a failed operation end the wait at once.
    /// `startedBefore` is the operation start seen before moor asked, so an old finished
    /// operation is not mistaken for the new one.
    public static func of(_ app: Application, revision: String?, startedBefore: String?) -> SyncProgress {
        if let bad = app.conditions.first(where: { Application.badConditions.contains($0.type) }) {
            return .failed("\(bad.type): \(bad.message)")
        }
        let fresh = !app.operationPending && app.operationStartedAt != nil && app.operationStartedAt != startedBefore
        if fresh, let phase = app.operationPhase, phase == "Failed" || phase == "Error" {
            return .failed("sync \(phase.lowercased()): \(app.operationMessage ?? "no message")")
        }
        if fresh, app.operationPhase == "Succeeded" {
            if app.health.isBroken {
                return .failed("\(app.health)\(app.healthMessage.map { ": \($0)" } ?? "")")
            }
            if let revision, app.syncedRevision != revision {
                return .waiting("synced \(short(app.syncedRevision)), waiting for \(short(revision))")
            }
            if app.syncStatus == .synced, app.health == .healthy { return .done }
            return .waiting("\(app.syncStatus)/\(app.health)")
        }
        if app.operationPending { return .waiting("sync requested") }
        return .waiting("\(app.operationPhase ?? "no operation yet"), \(app.syncStatus)/\(app.health)")
    }

    public static func short(_ revision: String?) -> String {
        guard let revision else { return "-" }
        return revision.count == 40 && revision.allSatisfy(\.isHexDigit) ? String(revision.prefix(7)) : revision
    }
}
