import Foundation

/// Gatus' alerting rule: an alert triggers after `failureThreshold` failures in a row and,
/// once triggered, resolves after `successThreshold` successes in a row (announced when
/// `sendOnResolved`). A `warn` counts as a success: only `fail` pages someone.
public struct AlertRule: Sendable, Equatable {
    public var failureThreshold = 3
    public var successThreshold = 2
    public var sendOnResolved = true

    public init(failureThreshold: Int = 3, successThreshold: Int = 2, sendOnResolved: Bool = true) {
        self.failureThreshold = failureThreshold
        self.successThreshold = successThreshold
        self.sendOnResolved = sendOnResolved
    }

    /// The state after one more evaluation. Messages to send go to the state's outbox, in
    /// order; they leave it only once delivered (`AlertState.delivered`).
    public func next(_ state: AlertState, name: String, success: Bool, detail: String, at date: Date) -> AlertState {
        var state = state
        state.lastDetail = detail
        if success {
            state.failures = 0
            state.successes += 1
            if state.firing, state.successes >= successThreshold {
                state.firing = false
                if sendOnResolved { state.outbox.append(AlertMessage(kind: .resolved, name: name, detail: detail, at: date)) }
            }
        } else {
            state.successes = 0
            state.failures += 1
            if !state.firing, state.failures >= failureThreshold {
                state.firing = true
                state.outbox.append(AlertMessage(kind: .triggered, name: name, detail: detail, at: date))
            }
        }
        return state
    }
}

/// One alert's memory: kept in the journal so a restarted watch neither sends an alert again
/// nor forgets one it had not delivered.
public struct AlertState: Sendable, Equatable, Codable {
    public var failures = 0
    public var successes = 0
    public var firing = false
    public var lastDetail: String?
    /// Messages not yet delivered, oldest first.
    public var outbox: [AlertMessage] = []

    public init() {}

    /// The state once `message` (the head of the outbox) was delivered.
    public func delivered(_ message: AlertMessage) -> AlertState {
        var state = self
        state.outbox.removeAll { $0 == message }
        return state
    }
}

/// A message to send about an alert.
public struct AlertMessage: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable { case triggered, resolved }

    public var kind: Kind
    public var name: String
    public var detail: String
    public var at: Date

    public init(kind: Kind, name: String, detail: String, at: Date) {
        self.kind = kind
        self.name = name
        self.detail = detail
        self.at = at
    }

    public var title: String { "moor: \(name) \(kind == .triggered ? "failing" : "resolved")" }
}

/// ntfy's JSON publishing format (`POST` to the server's root URL); no `priority` key when
/// the lab file sets none (ntfy's default, 3).
public struct NtfyPublish: Sendable, Equatable, Encodable {
    public var topic: String
    public var title: String
    public var message: String
    public var tags: [String]
    public var priority: Int?

    public init(topic: String, priority: Int?, message alert: AlertMessage) {
        self.topic = topic
        self.title = alert.title
        self.message = alert.detail
        self.tags = [alert.kind == .triggered ? "rotating_light" : "white_check_mark"]
        self.priority = priority
    }
}
