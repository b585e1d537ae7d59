import Foundation

/// `backups.schedule`: a time of day (`daily 02:30`, the watch machine's time zone) or an
/// interval (`6h`).
public enum BackupSchedule: Sendable, Equatable, CustomStringConvertible {
    case daily(hour: Int, minute: Int)
    case every(milliseconds: Int)

    public static func parse(_ text: String) -> BackupSchedule? {
        let words = text.split(separator: " ").map(String.init)
        if words.count == 2, words[0] == "daily" {
            let parts = words[1].split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, parts.allSatisfy({ $0.count == 2 }), let hour = Int(parts[0]), let minute = Int(parts[1]),
                  (0..<24).contains(hour), (0..<60).contains(minute) else { return nil }
            return .daily(hour: hour, minute: minute)
        }
        guard words.count == 1, let ms = Units.milliseconds(text), ms >= 60_000 else { return nil }
        return .every(milliseconds: ms)
    }

    public var description: String {
        switch self {
        case .daily(let hour, let minute): String(format: "daily %02d:%02d", hour, minute)
        case .every(let ms): ms % 3_600_000 == 0 ? "every \(ms / 3_600_000)h" : "every \(ms / 60_000)m"
        }
    }

    /// The schedule's period in seconds (a day for `daily`).
    public var periodSeconds: Double {
        switch self {
        case .daily: 86_400
        case .every(let ms): Double(ms) / 1000
        }
    }

    /// The `backup` alert's bar: the last good backup is older than twice the schedule.
    public var staleAfterSeconds: Double { 2 * periodSeconds }

    /// Whether a backup is due at `now`, the last good one having been taken at `last`
    /// (nil: never, so one is due at once). Daily: the last slot at or before `now` has
    /// passed since `last`.
    public func isDue(now: Date, last: Date?, calendar: Calendar = .current) -> Bool {
        guard let last else { return true }
        switch self {
        case .every(let ms):
            return now.timeIntervalSince(last) * 1000 >= Double(ms)
        case .daily:
            return last < lastSlot(atOrBefore: now, calendar: calendar)
        }
    }

    /// The `backup` alert's condition: the last good backup (or, before the first, the
    /// start of watching) is older than twice the schedule.
    public func isStale(now: Date, last: Date?, watchingSince: Date) -> Bool {
        now.timeIntervalSince(last ?? watchingSince) > staleAfterSeconds
    }

    /// How long after a failed attempt the next one starts: an eighth of the period, between
    /// one and thirty minutes (a full disk is not fixed in seconds; a night is not lost).
    public var retrySeconds: Double { min(max(periodSeconds / 8, 60), 1_800) }

    /// The next time a backup is due after one taken at `last`.
    public func next(after last: Date, calendar: Calendar = .current) -> Date {
        switch self {
        case .every(let ms):
            return last.addingTimeInterval(Double(ms) / 1000)
        case .daily(let hour, let minute):
            let slot = calendar.nextDate(after: last, matching: DateComponents(hour: hour, minute: minute, second: 0),
                                         matchingPolicy: .nextTime) ?? last.addingTimeInterval(86_400)
            return slot
        }
    }

    func lastSlot(atOrBefore now: Date, calendar: Calendar) -> Date {
        guard case .daily(let hour, let minute) = self else { return now }
        let today = calendar.date(bySettingHour: hour, minute: minute, second: 0, of: now) ?? now
        return today <= now ? today : calendar.date(byAdding: .day, value: -1, to: today) ?? today
    }
}
