import Foundation

/// Which backups `keep` keeps: for each of daily, weekly and monthly, the newest backup of
/// each of the most recent N periods that have one (as borg and restic prune). The newest
/// backup always stays. Only verified backups count; the caller never offers others.
public enum BackupRetention {
    public struct Candidate: Sendable, Equatable {
        public var id: String
        public var createdAt: Date

        public init(id: String, createdAt: Date) {
            self.id = id
            self.createdAt = createdAt
        }
    }

    /// The ids to delete, oldest first.
    public static func prune(_ backups: [Candidate], keep: BackupsSpec.Keep, calendar: Calendar = .current) -> [String] {
        let newestFirst = backups.sorted { $0.createdAt > $1.createdAt }
        var kept: Set<String> = []
        if let newest = newestFirst.first { kept.insert(newest.id) }
        func take(_ count: Int, _ period: (Date) -> DateComponents) {
            var seen: Set<DateComponents> = []
            for backup in newestFirst where seen.count < count {
                if seen.insert(period(backup.createdAt)).inserted { kept.insert(backup.id) }
            }
        }
        take(keep.daily) { calendar.dateComponents([.year, .month, .day], from: $0) }
        take(keep.weekly) { calendar.dateComponents([.yearForWeekOfYear, .weekOfYear], from: $0) }
        take(keep.monthly) { calendar.dateComponents([.year, .month], from: $0) }
        return newestFirst.reversed().filter { !kept.contains($0.id) }.map(\.id)
    }
}
