import Foundation

/// One line per event on stderr: `2026-11-29T06:40:00Z watch: started cluster homelab`.
/// launchd and journald keep it; nothing secret is ever passed here.
public struct WatchLog: Sendable {
    let write: @Sendable (String) -> Void
    let clock: @Sendable () -> Date

    public init(write: @escaping @Sendable (String) -> Void = WatchLog.stderr, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.write = write
        self.clock = clock
    }

    public func event(_ message: String) {
        let line = message.replacingOccurrences(of: "\n", with: " ")
        write("\(WatchLog.timestamp(clock())) watch: \(line)\n")
    }

    public static let stderr: @Sendable (String) -> Void = { line in
        FileHandle.standardError.write(Data(line.utf8))
    }

    static func timestamp(_ date: Date) -> String { date.formatted(.iso8601) }
}
