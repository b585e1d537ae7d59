import Foundation
import NIOCore

/// The time left for a probe; every phase gets what is left, so a probe never outlives its
/// timeout however its time is spent.
struct Deadline: Sendable {
    let start: ContinuousClock.Instant
    let end: ContinuousClock.Instant
    let total: Duration

    init(_ timeout: Duration) {
        start = ContinuousClock.now
        end = start + timeout
        total = timeout
    }

    var remaining: Duration { max(.zero, end - ContinuousClock.now) }
    var remainingTimeAmount: TimeAmount { .nanoseconds(Int64(remaining.components.seconds) * 1_000_000_000 + remaining.components.attoseconds / 1_000_000_000) }
    var expired: Bool { ContinuousClock.now >= end }

    /// `5s`, `2s`, `500ms`.
    var totalText: String { Self.text(total) }

    static func text(_ duration: Duration) -> String {
        let ms = duration.inMilliseconds
        let whole = Int(ms.rounded())
        return whole % 1000 == 0 ? "\(whole / 1000)s" : "\(whole)ms"
    }
}

struct TimedOut: Error {}

extension Duration {
    public var inMilliseconds: Double {
        Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15
    }
}

/// Races an operation against the deadline without waiting for the loser: the first to
/// finish resumes the caller. `onTimeout` should make the operation end (close a channel).
/// An operation that wins cancels the timer, so nothing it captured (a channel, its TLS
/// state) is kept alive until the deadline: a thousand fast probes hold a thousand nothings.
enum Race {
    static func first<T: Sendable>(_ deadline: Deadline, onTimeout: @escaping @Sendable () -> Void = {},
                                   _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        let once = ResumeOnce<T>()
        // The caller's cancellation (Ctrl-C) ends the wait at once, like the deadline does.
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                once.set(continuation)
                if Task.isCancelled, once.resume(.failure(CancellationError())) { return onTimeout() }
                let timer = Task {
                    try? await Task.sleep(until: deadline.end, clock: .continuous)
                    if !Task.isCancelled, once.resume(.failure(TimedOut())) { onTimeout() }
                }
                Task {
                    do { once.resume(.success(try await operation())) } catch { once.resume(.failure(error)) }
                    timer.cancel()
                }
            }
        } onCancel: {
            if once.resume(.failure(CancellationError())) { onTimeout() }
        }
    }
}

final class ResumeOnce<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<T, any Error>?

    func set(_ continuation: CheckedContinuation<T, any Error>) {
        lock.withLock { self.continuation = continuation }
    }

    @discardableResult
    func resume(_ result: Result<T, any Error>) -> Bool {
        let continuation: CheckedContinuation<T, any Error>? = lock.withLock {
            defer { self.continuation = nil }
            return self.continuation
        }
        continuation?.resume(with: result)
        return continuation != nil
    }
}
