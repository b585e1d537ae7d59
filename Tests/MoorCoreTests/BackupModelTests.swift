import Foundation
import Testing
@testable import MoorCore

@Suite struct BackupScheduleTests {
    static var utc: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }

    static func date(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    @Test func parsesDailyTimesAndIntervals() {
        #expect(BackupSchedule.parse("daily 02:30") == .daily(hour: 2, minute: 30))
        #expect(BackupSchedule.parse("6h") == .every(milliseconds: 6 * 3_600_000))
        for bad in ["daily 2:30", "daily 24:00", "daily 02:60", "weekly", "30s", "daily", "6 h", ""] {
            #expect(BackupSchedule.parse(bad) == nil, "\(bad)")
        }
        #expect(BackupSchedule.parse("daily 02:30")?.description == "daily 02:30")
        #expect(BackupSchedule.parse("90m")?.description == "every 90m")
    }

    @Test func aDailyBackupIsDueOnceTheSlotHasPassedSinceTheLastOne() {
        let schedule = BackupSchedule.daily(hour: 2, minute: 30)
        let calendar = Self.utc
        #expect(schedule.isDue(now: Self.date("2026-12-01T10:00:00Z"), last: nil, calendar: calendar), "never backed up: at once")
        #expect(!schedule.isDue(now: Self.date("2026-12-01T10:00:00Z"), last: Self.date("2026-12-01T02:31:00Z"), calendar: calendar))
        #expect(schedule.isDue(now: Self.date("2026-12-01T10:00:00Z"), last: Self.date("2026-12-01T02:29:00Z"), calendar: calendar))
        #expect(!schedule.isDue(now: Self.date("2026-12-02T02:29:00Z"), last: Self.date("2026-12-01T02:31:00Z"), calendar: calendar))
        #expect(schedule.isDue(now: Self.date("2026-12-02T02:30:00Z"), last: Self.date("2026-12-01T02:31:00Z"), calendar: calendar))
        #expect(schedule.isDue(now: Self.date("2026-12-02T01:00:00Z"), last: Self.date("2026-11-30T09:00:00Z"), calendar: calendar), "a missed night")
        #expect(schedule.next(after: Self.date("2026-12-01T02:31:00Z"), calendar: calendar) == Self.date("2026-12-02T02:30:00Z"))
    }

    @Test func anIntervalIsDueWhenItHasPassed() {
        let schedule = BackupSchedule.every(milliseconds: 6 * 3_600_000)
        let last = Self.date("2026-12-01T00:00:00Z")
        #expect(!schedule.isDue(now: Self.date("2026-12-01T05:59:59Z"), last: last))
        #expect(schedule.isDue(now: Self.date("2026-12-01T06:00:00Z"), last: last))
    }

    @Test func staleAfterTwiceTheScheduleAndRetriesBounded() {
        let daily = BackupSchedule.daily(hour: 2, minute: 30)
        let since = Self.date("2026-12-01T00:00:00Z")
        #expect(!daily.isStale(now: Self.date("2026-12-02T23:00:00Z"), last: nil, watchingSince: since))
        #expect(daily.isStale(now: Self.date("2026-12-03T00:00:01Z"), last: nil, watchingSince: since), "no backup for two days of watching")
        #expect(!daily.isStale(now: Self.date("2026-12-03T00:00:01Z"), last: Self.date("2026-12-01T02:30:00Z"), watchingSince: since))
        #expect(daily.isStale(now: Self.date("2026-12-03T02:30:01Z"), last: Self.date("2026-12-01T02:30:00Z"), watchingSince: since))
        #expect(daily.retrySeconds == 1_800)
        #expect(BackupSchedule.every(milliseconds: 60_000).retrySeconds == 60)
        #expect(BackupSchedule.every(milliseconds: 3_600_000).retrySeconds == 450)
    }
}

@Suite struct BackupRetentionTests {
    /// One backup a day at 02:30 for `days` days ending 2026-12-01, as `id`s `day-N` (0 newest).
    static func nightly(_ days: Int) -> [BackupRetention.Candidate] {
        (0..<days).map { n in
            .init(id: "day-\(n)", createdAt: BackupScheduleTests.date("2026-12-01T02:30:00Z").addingTimeInterval(-Double(n) * 86_400))
        }
    }

    @Test func keepsTheNewestOfEachRecentDayWeekAndMonth() {
        let backups = Self.nightly(200)
        let pruned = BackupRetention.prune(backups, keep: .init(daily: 7, weekly: 4, monthly: 6), calendar: BackupScheduleTests.utc)
        let kept = Set(backups.map(\.id)).subtracting(pruned)
        for n in 0..<7 { #expect(kept.contains("day-\(n)")) }
        // 2026-12-01 is a Tuesday; weeks start on Sunday (gregorian): the weeks' newest are
        // day 0, Saturday 28 Nov (day 3), 21 Nov (10), 14 Nov (17); the months' are 1 Dec, 30 Nov,
        // 31 Oct (31), 30 Sep (62), 31 Aug (92), 31 Jul (123).
        #expect(kept == Set([0, 1, 2, 3, 4, 5, 6, 10, 17, 31, 62, 92, 123].map { "day-\($0)" }), "\(kept.sorted())")
        let months = Set(kept.compactMap { id -> Int? in
            let n = Int(id.dropFirst(4))!
            return BackupScheduleTests.utc.component(.month, from: backups[n].createdAt)
        })
        #expect(months.count == 6, "one for each of the last six months: \(months.sorted())")
        #expect(pruned.first == "day-199", "oldest first")
        #expect(!pruned.contains("day-0"))
    }

    @Test func fewBackupsAreAllKeptAndTheNewestAlwaysStays() {
        #expect(BackupRetention.prune(Self.nightly(3), keep: .init(), calendar: BackupScheduleTests.utc).isEmpty)
        let sameDay = (0..<5).map { BackupRetention.Candidate(id: "b\($0)", createdAt: BackupScheduleTests.date("2026-12-01T10:00:00Z").addingTimeInterval(Double($0) * 60)) }
        #expect(BackupRetention.prune(sameDay, keep: .init(daily: 1, weekly: 0, monthly: 0), calendar: BackupScheduleTests.utc) == ["b0", "b1", "b2", "b3"])
        #expect(BackupRetention.prune(sameDay, keep: .init(daily: 0, weekly: 0, monthly: 0)) == ["b0", "b1", "b2", "b3"], "the newest stays even with keep 0")
    }
}

@Suite struct ClaimVolumeTests {
    @Test func readsHostPathAndLocalVolumesAndSkipsTheRest() throws {
        let json = """
            {"kind":"PersistentVolumeList","items":[
             {"metadata":{"name":"pvc-1"},"spec":{"hostPath":{"path":"/tmp/hostpath-provisioner/media/jellyfin"},"claimRef":{"namespace":"media","name":"jellyfin"},"storageClassName":"standard","capacity":{"storage":"10Gi"},"accessModes":["ReadWriteOnce"]},"status":{"phase":"Bound"}},
             {"metadata":{"name":"pvc-2"},"spec":{"local":{"path":"/var/lib/rancher/k3s/storage/pvc-2_db_data"},"claimRef":{"namespace":"db","name":"data"},"storageClassName":"local-path","capacity":{"storage":"1Gi"}},"status":{"phase":"Bound"}},
             {"metadata":{"name":"nfs-media"},"spec":{"nfs":{"server":"sifaka","path":"/volume1/media"},"claimRef":{"namespace":"media","name":"library"}},"status":{"phase":"Bound"}},
             {"metadata":{"name":"pvc-3"},"spec":{"hostPath":{"path":"/tmp/x"},"claimRef":{"namespace":"old","name":"gone"}},"status":{"phase":"Released"}},
             {"metadata":{"name":"pvc-4"},"spec":{"hostPath":{"path":"/tmp/y"}},"status":{"phase":"Available"}}
            ]}
            """
        let (volumes, skipped) = try ClaimVolume.parse(json)
        #expect(volumes.map(\.claim.description) == ["db/data", "media/jellyfin"])
        #expect(volumes.map(\.path) == ["/var/lib/rancher/k3s/storage/pvc-2_db_data", "/tmp/hostpath-provisioner/media/jellyfin"])
        #expect(volumes[1].capacity == "10Gi" && volumes[0].accessModes == ["ReadWriteOnce"])
        #expect(skipped == ["media/library (volume nfs-media is nfs, not a directory on the node)"])
        #expect(throws: ToolOutputError.self) { try ClaimVolume.parse("not json") }
    }

    @Test func theRestoredVolumeIsPreBoundAndRetained() throws {
        let volume = ClaimVolume(claim: ClaimName(namespace: "media", name: "jellyfin"), volume: "pvc-1", path: "/data/j", storageClass: "standard",
                                 capacity: "10Gi", accessModes: ["ReadWriteOnce"])
        let object = volume.restoredVolume()
        let spec = try #require(object["spec"] as? [String: Any])
        #expect(spec["persistentVolumeReclaimPolicy"] as? String == "Retain")
        #expect((spec["claimRef"] as? [String: String]) == ["namespace": "media", "name": "jellyfin"])
        #expect((spec["hostPath"] as? [String: String])?["path"] == "/data/j")
    }

    @Test func claimNamesAreNamespaceSlashName() {
        #expect(ClaimName("media/jellyfin-config")?.fileName == "media__jellyfin-config")
        for bad in ["media", "media/", "/x", "Media/x", "a/b/c", "a b/c", "-a/b"] { #expect(ClaimName(bad) == nil, "\(bad)") }
    }
}
