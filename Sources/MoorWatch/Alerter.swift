import Foundation
import MoorCore
import MoorJournal

/// Where alert messages go (ntfy in production, a recorder in tests).
public protocol AlertSink: Sendable {
    /// Delivers one message or throws; a throw leaves it in the outbox for the next try.
    func send(_ message: AlertMessage) async throws
}

/// Gatus-style alert state for every check and for watch's own alerts (reconcile,
/// recreate-needed, cluster-stopped), kept in the journal. Evaluating never waits for a
/// delivery: messages go to the alert's outbox in the journal first, then one delivery
/// task per alert sends them in order and removes each once the sink took it. A failed
/// send stays in the outbox and is tried again at the next evaluation.
public actor Alerter {
    let rule: AlertRule
    let journal: any Journal
    let sink: (any AlertSink)?
    let metrics: WatchMetrics?
    let log: WatchLog
    let now: @Sendable () -> Date
    var states: [String: AlertState]
    var delivering: Set<String> = []
    /// Stopping: no new delivery begins; one under way finishes (and is recorded), so a
    /// message ntfy took is never sent again after a restart.
    let inFlight: InFlight
    /// After a failed send, no new try before this (1 s, doubling to 30 s), so a long ntfy
    /// outage is neither hammered nor logged at every check.
    var retry: (after: Date, delay: TimeInterval)?

    /// `names`: the alerts that can still fire (the lab file's checks and watch's own); the
    /// journal's state of a check since removed from the lab file is left alone.
    public init(rule: AlertRule, journal: any Journal, sink: (any AlertSink)?, metrics: WatchMetrics?, log: WatchLog,
                names: Set<String>? = nil, inFlight: InFlight = InFlight(), now: @escaping @Sendable () -> Date = { Date() }) throws {
        self.inFlight = inFlight
        self.rule = rule
        self.journal = journal
        self.sink = sink
        self.metrics = metrics
        self.log = log
        self.now = now
        states = try journal.alertStates().filter { names?.contains($0.key) ?? true }
        for (name, state) in states { metrics?.alert(name, firing: state.firing) }
    }

    /// One more result for `name`; returns the state after it.
    @discardableResult
    public func evaluate(_ name: String, success: Bool, detail: String) -> AlertState {
        let before = states[name] ?? AlertState()
        var after = rule.next(before, name: name, success: success, detail: detail, at: now())
        // With nowhere to send, messages are not kept: the metric and the log still tell.
        if sink == nil { after.outbox = [] }
        if after != before {
            states[name] = after
            persist(name)
        }
        if after.firing != before.firing {
            log.event(after.firing ? "alert \(name): failing (\(detail))" : "alert \(name): resolved")
            incident(name, firing: after.firing, detail: detail)
        }
        metrics?.alert(name, firing: after.firing)
        flush()
        return after
    }

    public func state(_ name: String) -> AlertState? { states[name] }

    /// Starts a delivery for every alert with messages waiting and none in flight.
    public func flush() {
        guard let sink else { return }
        if let retry, now() < retry.after { return }
        for (name, state) in states where !state.outbox.isEmpty && !delivering.contains(name) {
            guard inFlight.begin() else { return }
            delivering.insert(name)
            Task {
                await self.deliver(name, sink)
                self.inFlight.end()
            }
        }
    }

    /// Whether any alert still has messages waiting (tests wait on it).
    public var pending: Int { states.values.reduce(0) { $0 + $1.outbox.count } }

    func deliver(_ name: String, _ sink: any AlertSink) async {
        defer { delivering.remove(name) }
        while let message = states[name]?.outbox.first, !Task.isCancelled {
            do {
                try await sink.send(message)
            } catch {
                metrics?.alertSendFailed()
                let delay = min(30, (retry?.delay ?? 0.5) * 2)
                retry = (now().addingTimeInterval(delay), delay)
                log.event("alert \(name): could not send \"\(message.title)\" (\(error)); trying again in \(Int(delay)) s or later")
                return
            }
            retry = nil
            states[name] = states[name]?.delivered(message)
            persist(name)
            log.event("alert \(name): sent \"\(message.title)\"")
            // Stopping: the message under way was finished and recorded; the rest wait.
            if inFlight.stopping { return }
        }
    }

    /// The incident log the status page shows: opened with the message as sent, closed with
    /// the resolution's.
    func incident(_ name: String, firing: Bool, detail: String) {
        let kind: AlertMessage.Kind = firing ? .triggered : .resolved
        let message = AlertMessage(kind: kind, name: name, detail: detail, at: now())
        let text = message.title + "\n" + detail
        do {
            if firing { try journal.openIncident(name: name, at: message.at, message: text) } else {
                try journal.resolveIncident(name: name, at: message.at, message: text)
            }
        } catch {
            log.event("alert \(name): could not record the incident in the journal (\(error))")
        }
    }

    func persist(_ name: String) {
        guard let state = states[name] else { return }
        do { try journal.saveAlertState(state, name: name) } catch {
            log.event("alert \(name): could not save its state in the journal (\(error))")
        }
    }
}
