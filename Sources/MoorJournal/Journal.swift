import Foundation
import MoorCore

/// A run of a mutating or planning command.
public struct RunRecord: Sendable, Equatable, Codable {
    public var id: Int64
    public var command: String
    public var labFile: String
    public var startedAt: Date
    public var finishedAt: Date?
    /// `ok`, `in sync`, `changes pending`, `failed`, `interrupted`, or nil while running (or
    /// when the process was killed).
    public var outcome: String?
    public var detail: String?
    public var changes: Int
}

/// A change that was applied, with what was there before and after.
public struct ChangeRecord: Sendable, Equatable, Codable {
    public var runID: Int64
    public var resource: String
    public var action: String
    public var summary: String
    public var before: String?
    public var after: String?

    public init(runID: Int64, resource: String, action: String, summary: String, before: String?, after: String?) {
        self.runID = runID
        self.resource = resource
        self.action = action
        self.summary = summary
        self.before = before
        self.after = after
    }
}

/// Work a change needs done after it (restart a runtime, resync an app). Written before
/// the change, cleared once done, so an interrupted run finishes it next time.
public struct FollowUp: Sendable, Equatable, Codable {
    public var id: Int64
    public var kind: String
    public var resource: String
    public var detail: String
    public var createdAt: Date
}

/// A migration or rollback: its steps done so far, the old cluster's settings, the backup.
public struct Migration: Sendable, Equatable {
    public struct Step: Sendable, Equatable {
        public var name: String
        public var detail: String?

        public init(name: String, detail: String?) {
            self.name = name
            self.detail = detail
        }
    }

    public var id: Int64
    public var kind: MigrationKind
    public var startedAt: Date
    public var finishedAt: Date?
    /// The settings of the cluster before (JSON), for rollback.
    public var snapshot: String?
    /// The backup directory.
    public var backup: String?
    public var steps: [Step]

    public func done(_ step: String) -> Bool { steps.contains { $0.name == step } }
    public func detail(_ step: String) -> String? { steps.last { $0.name == step }?.detail }
}

/// Which multi-step operation a migration record is; the journal keeps its text.
public enum MigrationKind: Sendable, Hashable, CustomStringConvertible {
    case migrate, rollback
    /// `moor move`: one app's move between clusters.
    case move
    /// A kind a newer moor wrote.
    case unknown(String)

    public init(_ text: String) {
        switch text {
        case "migrate": self = .migrate
        case "rollback": self = .rollback
        case "move": self = .move
        default: self = .unknown(text)
        }
    }

    public var description: String {
        switch self {
        case .migrate: "migrate"
        case .rollback: "rollback"
        case .move: "move"
        case .unknown(let text): text
        }
    }
}

/// How a run ended, as the journal keeps it.
public enum RunOutcome: String, Sendable {
    case ok
    case inSync = "in sync"
    case changesPending = "changes pending"
    case failed
    case interrupted
}

/// The journal seam. Secrets never go in here: callers pass redacted values only. A run is
/// opened only by `withRun`, once per command invocation; engines take the run handle.
public protocol Journal: HistoryJournal {
    /// Opens a run, hands it to `body`, and closes it with the outcome `body` concluded
    /// (`ok` by default), `failed` when it throws, or `interrupted` when it was cancelled.
    func withRun<T: Sendable>(command: String, labFile: String, _ body: (RunHandle) async throws -> T) async throws -> T
    func pendingFollowUps() throws -> [FollowUp]
    func completeFollowUp(_ id: Int64) throws
    func runs(limit: Int) throws -> [RunRecord]
    /// One run, or nil when the journal has no run of that number.
    func run(id: Int64) throws -> RunRecord?
    func changes(run: Int64) throws -> [ChangeRecord]
    // A migration (or rollback) spans runs: each resumed run finishes its steps.
    func openMigration(kind: MigrationKind, labFile: String, snapshot: String?) throws -> Migration
    func migrations(limit: Int) throws -> [Migration]
    func completeStep(_ step: String, detail: String?, migration: Int64) throws
    func setMigration(_ id: Int64, snapshot: String?, backup: String?) throws
    func finishMigration(_ id: Int64) throws
    // `moor watch`'s alerts, by name: counts, firing, messages not yet delivered.
    // backups
    /// Adds a backup, or updates one with the same id.
    func recordBackup(_ record: BackupRecord) throws
    /// The backups not pruned, newest first; only verified ones unless `includeFailed`.
    func backups(cluster: String?, includeFailed: Bool) throws -> [BackupRecord]
    func markBackupPruned(_ id: String) throws

    func alertStates() throws -> [String: AlertState]
    func saveAlertState(_ state: AlertState, name: String) throws
    // Used through RunHandle.
    func record(_ change: ChangeRecord) throws
    func addFollowUp(run: Int64, kind: String, resource: String, detail: String) throws -> Int64
}

/// The one open run of a command: what it changed, the follow-ups it owes, how it ended.
public final class RunHandle: @unchecked Sendable {
    public let id: Int64
    let journal: any Journal
    private let lock = NSLock()
    private var outcome: RunOutcome = .ok
    private var detail: String?

    init(id: Int64, journal: any Journal) {
        self.id = id
        self.journal = journal
    }

    /// Records a change that was applied (redacted values only).
    public func record(_ resource: String, action: String, summary: String, before: String? = nil, after: String? = nil) throws {
        try journal.record(ChangeRecord(runID: id, resource: resource, action: action, summary: summary, before: before, after: after))
    }

    /// Records work owed after a change, before the change is made. Returns the pending
    /// follow-up of the same kind and resource when there is one.
    @discardableResult
    public func addFollowUp(kind: String, resource: String, detail: String) throws -> Int64 {
        try journal.addFollowUp(run: id, kind: kind, resource: resource, detail: detail)
    }

    /// How the run ends if `body` returns.
    public func conclude(_ outcome: RunOutcome, detail: String? = nil) {
        lock.withLock {
            self.outcome = outcome
            self.detail = detail
        }
    }

    var concluded: (RunOutcome, String?) { lock.withLock { (outcome, detail) } }
}
