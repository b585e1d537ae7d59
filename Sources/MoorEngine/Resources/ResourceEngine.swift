import MoorCore
import MoorJournal

/// The generic observe → diff → apply → verify loop over the lab file's resource kinds.
/// Nothing here knows a kind: order comes from `needs`, behaviour from each kind's file.
public struct ResourceEngine: Sendable {
    public let lab: LabFile
    public let labPath: String
    public let context: MoorContext
    let kinds: [AnyKind]

    /// Which kinds an engine drives: all of them (`up`, `plan`), or only those converged
    /// without a person (`watch`).
    public enum Scope: Sendable { case all, unattended }

    /// The kinds the lab file uses (see `ResourceKinds`), plus `extra` ones, within `scope`.
    public init(lab: LabFile, labPath: String, context: MoorContext, extra: [any ResourceKind] = [], providers: [ClusterProviders.Registration] = [],
                scope: Scope = .all) throws {
        self.lab = lab
        self.labPath = labPath
        self.context = context
        let declared = (ResourceKinds.declared(in: lab, labPath: labPath, context: context, providers: providers) + extra)
            .filter { scope == .all || $0.unattended }
        guard !declared.isEmpty else {
            throw MoorError(.invalidInput, "\(labPath) has no `cluster`, `gitops` or `secrets` section: nothing to plan")
        }
        kinds = try Self.ordered(declared.map { AnyKind($0) })
    }

    /// Kinds in dependency order; among kinds free at the same time, registration order.
    static func ordered(_ kinds: [AnyKind]) throws -> [AnyKind] {
        var done: Set<String> = []
        var result: [AnyKind] = []
        while result.count < kinds.count {
            guard let next = kinds.first(where: { kind in
                !done.contains(kind.key) && kinds.allSatisfy { !kind.needs($0) || done.contains($0.key) }
            }) else {
                let stuck = kinds.filter { !done.contains($0.key) }.map(\.key)
                throw MoorError(.invalidInput, "resource kinds need each other in a cycle: \(stuck.joined(separator: ", "))")
            }
            done.insert(next.key)
            result.append(next)
        }
        return result
    }

    /// The keys of every kind `kind` needs, directly or through others.
    func upstreamKinds(of kind: AnyKind) -> Set<String> {
        var found: Set<String> = []
        var queue = kinds.filter { kind.needs($0) }
        while let next = queue.popLast() {
            guard found.insert(next.key).inserted else { continue }
            queue += kinds.filter { next.needs($0) }
        }
        return found
    }

    public var kindNames: [String] { kinds.map(\.key) }

    /// One kind's observation, or the note that replaces it.
    enum Observed {
        case value(any Sendable)
        case note(String)
    }

    /// Observes every kind at once in one session.
    func observeAll(_ session: ObservationSession) async throws -> [String: Observed] {
        try await withThrowingTaskGroup(of: (String, Observed).self) { group in
            for kind in kinds {
                group.addTask { (kind.key, try await Self.observe(kind, session)) }
            }
            var results: [String: Observed] = [:]
            for try await (name, observed) in group { results[name] = observed }
            return results
        }
    }

    static func observe(_ kind: AnyKind, _ session: ObservationSession) async throws -> Observed {
        do {
            return .value(try await kind.observe(session))
        } catch {
            if Interrupted.means(error) { throw error }
            guard let note = kind.unobservable(error) else { throw error }
            return .note(note)
        }
    }

    /// Diffs in dependency order; each kind sees its upstream kinds' changes.
    func diffAll(_ observed: [String: Observed]) -> [String: KindPlan] {
        var plans: [String: KindPlan] = [:]
        for kind in kinds { plans[kind.key] = diff(kind, observed[kind.key], plans) }
        return plans
    }

    func diff(_ kind: AnyKind, _ observed: Observed?, _ plans: [String: KindPlan]) -> KindPlan {
        switch observed {
        case .value(let value)?: return kind.diff(value, upstream(of: kind, plans))
        case .note(let note)?: return KindPlan(warnings: [note])
        case nil: return KindPlan()
        }
    }

    func upstream(of kind: AnyKind, _ plans: [String: KindPlan]) -> UpstreamChanges {
        let names = upstreamKinds(of: kind)
        return UpstreamChanges(kinds.filter { names.contains($0.key) }.flatMap { plans[$0.key]?.changes ?? [] })
    }

    /// What `plan` shows: observe everything once, diff, change nothing.
    public func plan() async throws -> PlanResult {
        let session = ObservationSession(lab: lab, labPath: labPath, context: context)
        let observed = try await observeAll(session)
        let plans = diffAll(observed)
        var plan = Plan()
        for kind in kinds { if let kindPlan = plans[kind.key] { plan.add(kindPlan) } }
        var values: [String: any Sendable] = [:]
        for (name, result) in observed { if case .value(let value) = result { values[name] = value } }
        return PlanResult(plan: plan, observed: values, basis: PlanResult.Basis(session: session, observed: observed, plans: plans))
    }
}

/// A plan and what each kind observed, for `plan` and `status`.
public struct PlanResult: Sendable {
    public var plan: Plan
    public var observed: [String: any Sendable]
    /// What the plan was made from, so `up(from:)` can apply it without observing again.
    let basis: Basis?

    struct Basis: Sendable {
        let session: ObservationSession
        let observed: [String: ResourceEngine.Observed]
        let plans: [String: KindPlan]
    }

    init(plan: Plan, observed: [String: any Sendable], basis: Basis? = nil) {
        self.plan = plan
        self.observed = observed
        self.basis = basis
    }

    public func observed<T>(_ kind: String, as type: T.Type) -> T? { observed[kind] as? T }
}
