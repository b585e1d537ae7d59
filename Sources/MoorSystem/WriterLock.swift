import Foundation
#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#endif
import MoorCore

/// One writer at a time for a cluster: an exclusive `flock` on a file in the state
/// directory. The kernel drops it when the holder exits, however it exits (even SIGKILL), so
/// a crashed moor never leaves a stale lock. The file records who holds it, for the message
/// a waiting writer prints.
public final class WriterLock: @unchecked Sendable {
    /// Who holds (or held) a lock, as its file records it.
    public struct Holder: Codable, Sendable, Equatable {
        public var pid: Int32
        public var command: String
        public var startedAt: Date

        public init(pid: Int32, command: String, startedAt: Date) {
            self.pid = pid
            self.command = command
            self.startedAt = startedAt
        }
    }

    public let path: String
    private var fd: Int32
    /// Whether another writer held it when this one asked (it may have changed the cluster).
    public private(set) var contended = false

    private init(path: String, fd: Int32) {
        self.path = path
        self.fd = fd
    }

    deinit { release() }

    /// Gives the lock up (also done when the process ends).
    public func release() {
        guard fd >= 0 else { return }
        flock(fd, LOCK_UN)
        close(fd)
        fd = -1
    }

    /// Takes the lock at `path`, polling (so Ctrl-C still works) until `timeout`; nil
    /// `timeout` means do not wait. `waiting` is called once, with the holder, if it must wait.
    public static func acquire(path: String, as holder: Holder, timeout: Duration?, clock: any MoorClock,
                               waiting: (Holder?) -> Void) async throws -> WriterLock {
        let fd = open(path, O_RDWR | O_CREAT, 0o600)
        guard fd >= 0 else {
            throw MoorError(code: .unreadable, message: "cannot open the lock file \(path): \(String(cString: strerror(errno)))")
        }
        let start = clock.now
        let deadline = timeout.map { start + $0 }
        var told = false
        var contended = false
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            contended = true
            let current = Self.holder(fd: fd)
            guard let deadline else {
                let named = current ?? Self.settledHolder(fd: fd)
                close(fd)
                throw LockBusy(holder: named, waited: false)
            }
            // The holder writes its name just after it locks: give it a moment to.
            if !told, current != nil || clock.now - start >= .milliseconds(500) {
                waiting(current)
                told = true
            }
            if clock.now >= deadline {
                close(fd)
                throw LockBusy(holder: current, waited: true)
            }
            do { try await clock.sleep(for: .milliseconds(100)) } catch {
                close(fd)
                throw error
            }
        }
        let lock = WriterLock(path: path, fd: fd)
        lock.contended = contended
        lock.record(holder)
        return lock
    }

    /// Writes the holder into the locked file (in place: the lock is on this inode).
    func record(_ holder: Holder) {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        guard let data = try? encoder.encode(holder) else { return }
        _ = ftruncate(fd, 0)
        _ = data.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
    }

    /// The holder's record, read again for up to half a second while it is still being written.
    static func settledHolder(fd: Int32) -> Holder? {
        for _ in 0..<10 {
            if let holder = holder(fd: fd) { return holder }
            usleep(50_000)
        }
        return nil
    }

    static func holder(fd: Int32) -> Holder? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try? decoder.decode(Holder.self, from: Data(buffer[..<count]))
    }
}

/// Another writer holds the lock: `--no-wait`, or `--lock-timeout` ran out.
public struct LockBusy: Error, Sendable {
    public var holder: WriterLock.Holder?
    public var waited: Bool
}

/// The writer locks of every cluster a command changes, taken in one fixed order (by name)
/// so two commands over overlapping clusters never wait on each other in a cycle.
public final class WriterLocks: @unchecked Sendable {
    public let locks: [WriterLock]

    public init(_ locks: [WriterLock]) { self.locks = locks }

    /// Whether another writer held any of them when they were asked for.
    public var contended: Bool { locks.contains { $0.contended } }

    public func release() {
        for lock in locks.reversed() { lock.release() }
    }
}
