import Foundation
import MoorCore
import MoorSystem

/// Follows `docker events` for one minikube profile's node container. When the stream ends
/// (Docker restarting, the daemon not up yet, ssh dropped) it starts again with backoff,
/// `--since` the last event seen, and drops events it already handed on.
public struct EventFollower: Sendable {
    let profile: String
    let runner: any CommandRunner
    let clock: any MoorClock
    let log: WatchLog
    /// Backoff after a stream ends: `initial`, doubling, at most `maximum`; back to
    /// `initial` once a stream delivered an event or ran for a minute. The maximum is short
    /// on purpose: while Docker restarts, `docker events` fails at once and costs one
    /// process a second; a long backoff would still be sleeping when the node container
    /// starts, and the exposure must follow its new port within 2 s of that event.
    var initialBackoff: Duration = .milliseconds(250)
    var maximumBackoff: Duration = .seconds(1)
    /// A stream that follows an ended one and runs this long means Docker answers again.
    var reconnectedAfter: Duration = .seconds(1)

    public init(profile: String, runner: any CommandRunner, clock: any MoorClock, log: WatchLog) {
        self.profile = profile
        self.runner = runner
        self.clock = clock
        self.log = log
    }

    /// docker's `--since` form of a date: seconds and nanoseconds.
    static func since(_ date: Date) -> String {
        let nanos = Int64((date.timeIntervalSince1970 * 1_000_000_000).rounded())
        return DockerEvent.since(nanoseconds: nanos)
    }

    /// Runs until cancelled, calling `handle` with each new event of the profile's container,
    /// and `reconnected` once a stream after an ended one has run for `reconnectedAfter`:
    /// Docker is back, and what happened while it was away (the node container stopped
    /// with it; its events are gone with the daemon's memory) is for a reconcile to find.
    public func run(restarted: @escaping @Sendable () -> Void = {}, reconnected: @escaping @Sendable () -> Void = {},
                    _ handle: @escaping @Sendable (DockerEvent) async -> Void) async {
        let seen = SeenEvents()
        // The first stream starts `--since` now as well: an event between starting the
        // process and docker subscribing it would otherwise be lost.
        let started = Self.since(clock.date)
        var backoff = initialBackoff
        var lastReason = ""
        var repeats = 0
        var ended = false
        while !Task.isCancelled {
            let since = await seen.since ?? started
            let streamStart = clock.now
            let command = Docker.events(profile: profile, since: since)
            var reason: String
            let reconnect: Task<Void, Never>? = ended ? Task { [clock, reconnectedAfter] in
                do { try await clock.sleep(for: reconnectedAfter) } catch { return }
                reconnected()
            } : nil
            defer { reconnect?.cancel() }
            do {
                let result = try await runner.stream(command) { line in
                    guard let event = DockerEvent.parse(line), event.type == "container",
                          event.profile == nil || event.profile == profile else { return }
                    guard await seen.add(event) else { return }
                    await handle(event)
                }
                reason = result.exitCode == 0 ? "ended" : "ended with exit status \(result.exitCode)\(result.firstStderrLine.map { ": \($0)" } ?? "")"
            } catch let error as MoorError where error.code == .interrupted {
                return
            } catch {
                reason = "could not run: \(error)"
            }
            reconnect?.cancel()
            if Task.isCancelled { return }
            ended = true
            restarted()
            if await seen.takeDelivered() || clock.now - streamStart > .seconds(60) { backoff = initialBackoff }
            // While Docker is down the same failure repeats every second: said once a minute.
            if reason == lastReason { repeats += 1 } else { lastReason = reason; repeats = 0 }
            if repeats % 60 == 0 {
                log.event("docker events for \(profile) \(reason); following again in \(Int(backoff.inMilliseconds)) ms since \(since)\(repeats > 0 ? " (\(repeats) times)" : "")")
            }
            do { try await clock.sleep(for: backoff) } catch { return }
            backoff = min(backoff * 2, maximumBackoff)
        }
    }
}

/// The events already handed on, so a stream resumed `--since` the last one does not
/// repeat it; and where to resume.
actor SeenEvents {
    var last: DockerEvent?
    var recent: [String] = []
    var delivered = false

    var since: String? { last?.since }

    func add(_ event: DockerEvent) -> Bool {
        guard !recent.contains(event.identity) else { return false }
        if let last, (event.timeNano ?? event.time * 1_000_000_000) < (last.timeNano ?? last.time * 1_000_000_000) { return false }
        recent.append(event.identity)
        if recent.count > 64 { recent.removeFirst(recent.count - 64) }
        last = event
        delivered = true
        return true
    }

    func takeDelivered() -> Bool { defer { delivered = false }; return delivered }
}
