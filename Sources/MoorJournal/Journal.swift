import Foundation
import MoorCore

/// A run of a mutating or planning command.
public struct RunRecord: Sendable, Equatable, Codable {
    public var id: Int64
    public var command: String
    public var labFile: String
    public var startedAt: Date
    public var finishedAt: Date?
    /// `ok`, `in sync`, `changes pending`, `failed`, or nil while running (or interrupted).
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

/// The journal seam. Secrets never go in here: callers pass redacted values only.
public protocol Journal: Sendable {
    func beginRun(command: String, labFile: String) throws -> Int64
    func finishRun(_ id: Int64, outcome: String, detail: String?) throws
    func record(_ change: ChangeRecord) throws
    /// Returns the existing pending follow-up of the same kind and resource, if any.
    func addFollowUp(run: Int64, kind: String, resource: String, detail: String) throws -> Int64
    func pendingFollowUps() throws -> [FollowUp]
    func completeFollowUp(_ id: Int64) throws
    func runs(limit: Int) throws -> [RunRecord]
    func changes(run: Int64) throws -> [ChangeRecord]
}
