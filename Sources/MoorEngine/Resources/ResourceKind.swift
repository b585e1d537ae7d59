import Foundation
import MoorCore
import MoorJournal

/// One kind of resource (cluster, mirror, expose, app, secret, ...): one file each, one
/// registration line in `ResourceKinds`. The engine orders kinds by `needs`, observes them
/// all at once, diffs in order, applies, and verifies by observing again.
public protocol ResourceKind: Sendable {
    associatedtype Observed: Sendable

    /// The kind's name: the prefix of its resource names (`mirror` in `mirror:docker.io`).
    var kind: String { get }
    /// The cluster this instance of the kind belongs to, in a lab of several (nil: the
    /// lab's only cluster, or a kind that is not a cluster's). A need is met by the kind of
    /// that name in the same cluster.
    var scope: String? { get }
    /// Kinds whose changes must be applied and verified first; their planned changes are
    /// what `diff` sees as `upstream`. A need on a kind the lab file does not use is ignored.
    var needs: [String] { get }
    /// Read-only commands, through the session so that facts shared with other kinds (the
    /// profile list, the node's files) are read once.
    func observe(_ session: ObservationSession) async throws -> Observed
    /// Pure: desired × observed → changes, unchanged resources, warnings.
    func diff(_ observed: Observed, upstream: UpstreamChanges) -> KindPlan
    /// The mutating commands for `changes` (all of this kind, from one diff of `observed`).
    func apply(_ changes: [Change], observed: Observed, context: ApplyContext) async throws
    /// What the journal keeps of an applied change (redacted; never a secret).
    func journal(_ change: Change, observed: Observed) -> (before: String?, after: String?)
    /// The error when verify still sees `remaining` after applying `change`.
    func notTaken(_ change: Change, remaining: Change, now: Observed) -> String
    /// A note that replaces the plan of this kind when it cannot be observed (a cluster
    /// being created cannot answer kubectl yet), or nil to fail the command.
    func unobservable(_ error: any Error) -> String?
    /// Follow-up kinds (see `FollowUp`) this kind finishes after its changes, or for an
    /// earlier run that was interrupted.
    var followUps: [String] { get }
    func followUp(_ item: FollowUp, context: ApplyContext) async throws
    /// Whether `moor watch` converges this kind by itself (the cluster loop: start a stopped
    /// cluster, mirrors, exposure). Kinds that deploy or write secrets wait for a person.
    var unattended: Bool { get }
}

extension ResourceKind {
    public var scope: String? { nil }
    public var needs: [String] { [] }
    public func journal(_ change: Change, observed: Observed) -> (before: String?, after: String?) {
        (change.fields.isEmpty ? nil : JSONText.fields(change.fields.compactMapValues(\.from)),
         change.fields.isEmpty ? nil : JSONText.fields(change.fields.mapValues(\.to)))
    }
    public func notTaken(_ change: Change, remaining: Change, now: Observed) -> String {
        "\(change.resource) did not take: observing again still shows \"\(remaining.summary)\""
    }
    public func unobservable(_ error: any Error) -> String? { nil }
    public var followUps: [String] { [] }
    public func followUp(_ item: FollowUp, context: ApplyContext) async throws {}
    public var unattended: Bool { false }
}

/// Options of `up` that kinds act on.
public struct UpOptions: Sendable {
    /// Allow deleting and recreating the cluster.
    public var allowRecreate: Bool
    /// How long `up` waits for things to settle (apps to sync).
    public var waitTimeout: Duration

    public init(allowRecreate: Bool = false, waitTimeout: Duration = .seconds(600)) {
        self.allowRecreate = allowRecreate
        self.waitTimeout = waitTimeout
    }
}

/// What `apply` gets: the context, the command's one journal run, the options, and the
/// observation the changes were planned from.
public struct ApplyContext: Sendable {
    public let context: MoorContext
    public let run: RunHandle
    public let options: UpOptions
    public let session: ObservationSession
    let skips = Skips()

    /// Leaves a change for later for a reason outside moor (a secret's value is not
    /// available here): it becomes a warning, is not journaled, and is not verified.
    public func skip(_ id: ResourceID, because reason: String) {
        skips.add(id, reason)
        context.progress.note(reason)
    }
}

/// The changes a kind left for later, with why.
final class Skips: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [(ResourceID, String)] = []
    func add(_ id: ResourceID, _ reason: String) { lock.withLock { items.append((id, reason)) } }
    var all: [(ResourceID, String)] { lock.withLock { items } }
}

/// A kind with its observed type erased, for the engine's list.
struct AnyKind: Sendable {
    let kind: String
    let scope: String?
    let needs: [String]
    let followUps: [String]
    let unattended: Bool
    let observe: @Sendable (ObservationSession) async throws -> any Sendable
    let diff: @Sendable (any Sendable, UpstreamChanges) -> KindPlan
    let apply: @Sendable ([Change], any Sendable, ApplyContext) async throws -> Void
    let journal: @Sendable (Change, any Sendable) -> (before: String?, after: String?)
    let notTaken: @Sendable (Change, Change, any Sendable) -> String
    let unobservable: @Sendable (any Error) -> String?
    let followUp: @Sendable (FollowUp, ApplyContext) async throws -> Void

    init<K: ResourceKind>(_ base: K) {
        kind = base.kind
        scope = base.scope
        needs = base.needs
        followUps = base.followUps
        unattended = base.unattended
        observe = { try await base.observe($0) }
        diff = { base.diff(Self.cast($0, K.self), upstream: $1) }
        apply = { try await base.apply($0, observed: Self.cast($1, K.self), context: $2) }
        journal = { base.journal($0, observed: Self.cast($1, K.self)) }
        notTaken = { base.notTaken($0, remaining: $1, now: Self.cast($2, K.self)) }
        unobservable = { base.unobservable($0) }
        followUp = { try await base.followUp($0, context: $1) }
    }

    /// The engine's key for this instance: `mirror`, or `mirror@ringtail` in a lab of several clusters.
    var key: String { scope.map { "\(kind)@\($0)" } ?? kind }

    /// Whether `other` is what this kind's need `name` refers to: that kind, in this
    /// kind's cluster (a kind of no cluster needs every cluster's).
    func needs(_ other: AnyKind) -> Bool {
        needs.contains(other.kind) && (scope == nil || other.scope == nil || other.scope == scope)
    }

    /// Values only ever come from the same kind's `observe`.
    static func cast<K: ResourceKind>(_ value: any Sendable, _: K.Type) -> K.Observed {
        guard let observed = value as? K.Observed else {
            preconditionFailure("the engine handed \(type(of: value)) to \(K.self)")
        }
        return observed
    }
}

/// `{"cpus":"6",…}` for the journal: sorted, so runs compare.
enum JSONText {
    static func fields(_ fields: [String: String]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(fields)).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }
}
