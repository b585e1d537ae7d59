import Foundation

/// Time, as a seam: engines wait and measure through this, so tests can run a five-minute
/// poll in no time.
public protocol MoorClock: Sendable {
    /// Monotonic now, for deadlines and durations.
    var now: ContinuousClock.Instant { get }
    /// Wall-clock now, for what is shown or stored.
    var date: Date { get }
    func sleep(for duration: Duration) async throws
}

/// The real clock.
public struct SystemClock: MoorClock {
    public init() {}
    public var now: ContinuousClock.Instant { ContinuousClock.now }
    public var date: Date { Date() }
    public func sleep(for duration: Duration) async throws { try await Task.sleep(for: duration) }
}
