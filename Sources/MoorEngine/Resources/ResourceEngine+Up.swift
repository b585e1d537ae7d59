import MoorCore
import MoorJournal

/// The JSON of `moor up` (with `apps` added by the command when the lab has gitops).
public struct UpReport: Sendable, Encodable {
    public var applied: [Change]
    public var unchanged: [ResourceID]
    public var warnings: [String]
    /// What each kind looked like at the end (after verification), by kind name.
    public var observed: [String: any Sendable] = [:]

    enum CodingKeys: String, CodingKey { case applied, unchanged, warnings }
}

extension ResourceEngine {
    /// Makes the lab file true, kind by kind in dependency order. A kind whose upstream
    /// changed is observed again before it is diffed; every applied kind is verified by
    /// observing it again in a new session. A second run with nothing changed starts only
    /// the observe commands.
    ///
    /// `from`: a plan this engine just made, applied without observing again (watch plans,
    /// decides, takes the lock uncontended, then applies what it planned). Verification still
    /// observes afresh.
    public func up(_ options: UpOptions = UpOptions(), run: RunHandle, from plan: PlanResult? = nil) async throws -> UpReport {
        var session: ObservationSession
        var observed: [String: Observed]
        var plans: [String: KindPlan]
        if let basis = plan?.basis {
            (session, observed, plans) = (basis.session, basis.observed, basis.plans)
        } else {
            session = ObservationSession(lab: lab, labPath: labPath, context: context)
            observed = try await observeAll(session)
            plans = diffAll(observed)
        }
        var applied: [Change] = []
        var changedKinds: Set<String> = []
        var warnings: [String] = []
        for kind in kinds {
            if !upstreamKinds(of: kind).isDisjoint(with: changedKinds) {
                observed[kind.key] = try await Self.observe(kind, session)
                plans[kind.key] = diff(kind, observed[kind.key], plans)
            }
            let plan = plans[kind.key] ?? KindPlan()
            warnings += plan.warnings.filter { !warnings.contains($0) }
            if !plan.changes.isEmpty, case .value(let value)? = observed[kind.key] {
                let apply = ApplyContext(context: context, run: run, options: options, session: session)
                try await kind.apply(plan.changes, value, apply)
                let skipped = apply.skips.all
                warnings += skipped.map(\.1).filter { !warnings.contains($0) }
                let made = plan.changes.filter { change in !skipped.contains { $0.0 == change.id } }
                for change in made {
                    let (before, after) = kind.journal(change, value)
                    try run.record(change.resource, action: change.action.rawValue, summary: change.summary, before: before, after: after)
                }
                session = ObservationSession(lab: lab, labPath: labPath, context: context)
                let now = try await kind.observe(session)
                let verified = kind.diff(now, upstream(of: kind, plans))
                for change in made {
                    if let remaining = verified.changes.first(where: { $0.id == change.id }) {
                        throw MoorError(.didNotTake, kind.notTaken(change, remaining, now))
                    }
                }
                observed[kind.key] = .value(now)
                plans[kind.key] = verified
                changedKinds.insert(kind.key)
                applied += made
            }
            try await finishFollowUps(of: kind, ApplyContext(context: context, run: run, options: options, session: session))
        }
        let appliedIDs = Set(applied.map(\.id))
        let unchanged = kinds.flatMap { plans[$0.key]?.unchanged ?? [] }.filter { !appliedIDs.contains($0) }
        run.conclude(applied.isEmpty ? .inSync : .ok, detail: "\(applied.count) change(s) applied")
        var final: [String: any Sendable] = [:]
        for (name, result) in observed { if case .value(let value) = result { final[name] = value } }
        return UpReport(applied: applied, unchanged: unchanged, warnings: warnings, observed: final)
    }

    /// Follow-ups this kind owns that are still pending, from this run or an interrupted one.
    func finishFollowUps(of kind: AnyKind, _ apply: ApplyContext) async throws {
        guard !kind.followUps.isEmpty else { return }
        for item in try context.journal.pendingFollowUps() where kind.followUps.contains(item.kind) {
            if let scope = kind.scope, ResourceID(parsing: item.resource)?.clusterLabel != scope { continue }
            try await kind.followUp(item, apply)
            try context.journal.completeFollowUp(item.id)
        }
    }
}
