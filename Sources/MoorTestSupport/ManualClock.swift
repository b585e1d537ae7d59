import Foundation
import MoorSystem

/// A clock whose sleeps return at once and move its time forward: a ten-minute wait runs in
/// no time, and the test can read how much time the code thought passed.
public final class ManualClock: MoorClock, @unchecked Sendable {
    private let lock = NSLock()
    private let start = ContinuousClock.now
    private var offset: Duration = .zero
    private var sleeps: [Duration] = []

    public init() {}

    public var now: ContinuousClock.Instant { lock.withLock { start + offset } }
    public var date: Date { lock.withLock { Date(timeIntervalSince1970: 1_795_000_000 + Double(offset.components.seconds)) } }
    public var elapsed: Duration { lock.withLock { offset } }
    /// Every sleep asked for, in order.
    public var slept: [Duration] { lock.withLock { sleeps } }

    public func sleep(for duration: Duration) async throws {
        try Task.checkCancellation()
        lock.withLock {
            offset += duration
            sleeps.append(duration)
        }
        await Task.yield()
    }
}
