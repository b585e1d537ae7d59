import Synchronization

/// Work under way (a check's run, a reconcile, an alert's delivery), so that stopping can
/// let it finish instead of cutting it off: once `stop()` is called nothing new begins, and
/// `idle` says when what had begun is done.
public final class InFlight: Sendable {
    private let state = Mutex((running: 0, stopping: false))

    public init() {}

    /// Counts a unit of work in, or says no when stopping.
    public func begin() -> Bool {
        state.withLock { state in
            if state.stopping { return false }
            state.running += 1
            return true
        }
    }

    public func end() { state.withLock { $0.running -= 1 } }

    public func stop() { state.withLock { $0.stopping = true } }

    public var stopping: Bool { state.withLock { $0.stopping } }
    public var idle: Bool { state.withLock { $0.running == 0 } }
}

/// A flag set once, read from any task.
final class Latch: Sendable {
    private let value = Mutex(false)

    func set() { value.withLock { $0 = true } }
    var isSet: Bool { value.withLock { $0 } }
}
