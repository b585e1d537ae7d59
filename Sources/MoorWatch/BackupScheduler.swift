import Foundation
import MoorCore
import MoorEngine
import MoorJournal

/// `backups.schedule` in `moor watch`: once a minute, each cluster whose backup is due is
/// backed up (one at a time, as one journal run each); a failed attempt is tried again
/// after `retrySeconds`. The gauges follow the last good backup, and the `backup` alert
/// fires while any cluster's last good backup is older than twice the schedule.
struct BackupScheduler: Sendable {
    let lab: LabFile
    let labPath: String
    let context: MoorContext
    let spec: BackupsSpec
    let alerter: Alerter
    let metrics: WatchMetrics
    let log: WatchLog
    let inFlight: InFlight
    var tick: Duration = .seconds(60)

    func run() async {
        let engine = BackupEngine(lab: lab, labPath: labPath, context: context)
        let since = context.clock.date
        var retryAt: [String: Date] = [:]
        var failures: [String: String] = [:]
        log.event("backups: \(spec.schedule) for \(lab.clusters.map(\.id).joined(separator: ", ")), kept \(spec.keep.daily) daily, \(spec.keep.weekly) weekly, \(spec.keep.monthly) monthly")
        while !Task.isCancelled {
            var stale: [String] = []
            for cluster in lab.clusters {
                var last = (try? context.journal.backups(cluster: cluster.id, includeFailed: false))?.first { $0.purpose == nil }
                let now = context.clock.date
                if spec.schedule.isDue(now: now, last: last?.createdAt), retryAt[cluster.id].map({ now >= $0 }) ?? true {
                    guard inFlight.begin() else { return }
                    do {
                        let record = try await context.journal.withRun(command: "backup (watch)", labFile: labPath) { run in
                            try await engine.backup(cluster, run: run)
                        }
                        log.event("backup \(record.id) of cluster \(cluster.id): \(record.summary), verified in \(String(format: "%.1f", record.seconds)) s")
                        last = record
                        retryAt[cluster.id] = nil
                        failures[cluster.id] = nil
                    } catch {
                        if Task.isCancelled { inFlight.end(); return }
                        let message = MoorError.from(error).message
                        log.event("backup of cluster \(cluster.id) failed: \(message); trying again in \(Int(spec.schedule.retrySeconds / 60)) min")
                        retryAt[cluster.id] = now.addingTimeInterval(spec.schedule.retrySeconds)
                        failures[cluster.id] = message
                    }
                    inFlight.end()
                }
                if let last { metrics.recordBackup(cluster: cluster.id, at: last.createdAt, bytes: last.bytes) }
                if spec.schedule.isStale(now: context.clock.date, last: last?.createdAt, watchingSince: since) {
                    let age = last.map { "the last good backup \($0.id) is \(BackupRecord.age(now.timeIntervalSince($0.createdAt))) old" } ?? "no good backup yet"
                    stale.append("cluster \(cluster.id): \(age)\(failures[cluster.id].map { "; the last attempt failed: \($0)" } ?? "")")
                }
            }
            let detail = stale.isEmpty ? "every cluster has a backup newer than twice the schedule (\(spec.schedule))"
                : "no good backup within twice the schedule (\(spec.schedule)): " + stale.joined(separator: "; ")
            _ = await alerter.evaluate("backup", success: stale.isEmpty, detail: detail)
            do { try await context.clock.sleep(for: tick) } catch { return }
        }
    }
}
