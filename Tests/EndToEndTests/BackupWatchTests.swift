import Foundation
import Testing
import MoorCore
import MoorJournal
import MoorStandIns
import MoorSystem
import MoorTestSupport

/// `backups.schedule` run by `moor watch`: the first backup at once, the gauges, and the
/// `backup` alert when the last good backup is older than twice the schedule.
@Suite(.serialized) struct BackupWatchTests {
    static func watchSection(port: Int) -> String {
        "watch:\n  reconcile: 1h\n  alerts:\n    failureThreshold: 1\n  metrics:\n    listen: 127.0.0.1:\(port)\n"
    }

    @Test func watchBacksUpAtOnceAndExportsTheLastGoodBackup() async throws {
        let reserved = try await HTTPRecorder()
        let port = reserved.port
        await reserved.stop()
        let setup = try await BackupLab(backups: "backups:\n  schedule: 6h\n" + Self.watchSection(port: port))
        try await setup.populate()
        let lab = setup.lab
        let watch = try WatchRun(lab)
        #expect(await WatchRun.eventually(.seconds(30)) { watch.log.contains("backup minikube-") && watch.log.contains("verified in") }, "\(watch.log)")
        let listed = try await lab.moor("backups", "-o", "json")
        let backups = try #require(try listed.json()["backups"] as? [[String: Any]])
        #expect(backups.count == 1 && backups.first?["verified"] as? Bool == true)
        let bytes = try #require(backups.first?["bytes"] as? Int)
        let metrics = await Self.metrics(port: port) { $0["moor_backup_bytes"] != nil && $0["moor_alert_firing"]?.contains { $0.labels["check"] == "backup" } == true }
        #expect(metrics["moor_backup_bytes"]?.first { $0.labels == ["cluster": "minikube"] }?.value == Double(bytes))
        let stamp = try #require(metrics["moor_backup_last_success_timestamp_seconds"]?.first { $0.labels == ["cluster": "minikube"] }?.value)
        #expect(abs(stamp - Date().timeIntervalSince1970) < 120)
        #expect(metrics["moor_alert_firing"]?.first { $0.labels["check"] == "backup" }?.value == 0)
        #expect(await watch.stop().status == 0)
        let runs = try await lab.moor("history", "-o", "json")
        #expect((try runs.json()["runs"] as? [[String: Any]])?.contains { $0["command"] as? String == "backup (watch)" && $0["outcome"] as? String == "ok" } == true)
    }

    @Test func theBackupAlertFiresWhenTheLastGoodBackupIsTooOld() async throws {
        let reserved = try await HTTPRecorder()
        let port = reserved.port
        await reserved.stop()
        let setup = try await BackupLab(backups: "backups:\n  schedule: daily 02:30\n  path: /nonexistent-nas/backups\n" + Self.watchSection(port: port))
        try await setup.populate()
        let lab = setup.lab
        // The last good backup, three days old (the NAS has been gone since).
        let journal = try SQLiteJournal(path: lab.scratch.path + "/state/journal.sqlite")
        let old = Date().addingTimeInterval(-3 * 86_400)
        try journal.recordBackup(BackupRecord(id: BackupRecord.makeID(cluster: "minikube", at: old), cluster: "minikube", createdAt: old,
                                              directory: "/nonexistent-nas/backups/minikube/old", claims: [], bytes: 4096, seconds: 1, verified: true))
        let watch = try WatchRun(lab)
        let metrics = await Self.metrics(port: port) { $0["moor_alert_firing"]?.first { $0.labels["check"] == "backup" }?.value == 1 }
        #expect(metrics["moor_alert_firing"]?.first { $0.labels["check"] == "backup" }?.value == 1, "\(watch.log)")
        #expect(watch.log.contains("backup of cluster minikube failed: backups.path /nonexistent-nas/backups does not exist (is the NAS mounted?)"), "\(watch.log)")
        #expect(watch.log.contains("trying again in 30 min"), "\(watch.log)")
        #expect(metrics["moor_backup_bytes"]?.first?.value == 4096, "the gauges keep the last good backup")
        #expect(await watch.stop().status == 0)
    }

    /// Scrapes /metrics until `ready` holds (or 30 s pass); the last scrape.
    static func metrics(port: Int, until ready: ([String: [WatchAlertTests.Sample]]) -> Bool) async -> [String: [WatchAlertTests.Sample]] {
        let deadline = ContinuousClock.now + .seconds(30)
        var last: [String: [WatchAlertTests.Sample]] = [:]
        while ContinuousClock.now < deadline {
            last = (try? await WatchAlertTests.parse(url: "http://127.0.0.1:\(port)/metrics")) ?? [:]
            if ready(last) { break }
            try? await Task.sleep(for: .milliseconds(200))
        }
        return last
    }
}
