import Foundation
import GRDB
import MoorCore

/// Check history in four small tables: `checkName` (an id a name, so a run row carries an
/// integer), `checkRun` (one row a run, kept two days), `checkHour` and `checkDay` (the
/// aggregates the uptimes and the 90 daily cells are read from, kept `watch.history`).
/// Times are integer milliseconds (runs) or hours since the epoch, to keep rows small.
extension SQLiteJournal {
    static func registerHistory(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v4 check history") { db in
            try db.execute(sql: """
                CREATE TABLE checkName (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
                CREATE TABLE checkRun (
                  checkId INTEGER NOT NULL, at INTEGER NOT NULL, state INTEGER NOT NULL, durationMs INTEGER NOT NULL,
                  layer TEXT, detail TEXT, certExpiry INTEGER,
                  PRIMARY KEY (checkId, at)) WITHOUT ROWID;
                CREATE TABLE checkHour (
                  checkId INTEGER NOT NULL, hour INTEGER NOT NULL,
                  runs INTEGER NOT NULL, failures INTEGER NOT NULL, durationMs INTEGER NOT NULL,
                  PRIMARY KEY (checkId, hour)) WITHOUT ROWID;
                CREATE TABLE checkDay (
                  checkId INTEGER NOT NULL, day TEXT NOT NULL,
                  runs INTEGER NOT NULL, failures INTEGER NOT NULL, durationMs INTEGER NOT NULL,
                  PRIMARY KEY (checkId, day)) WITHOUT ROWID;
                CREATE TABLE incident (
                  id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL,
                  firedAt DATETIME NOT NULL, resolvedAt DATETIME, message TEXT NOT NULL, resolution TEXT);
                CREATE INDEX incidentOpen ON incident (name, resolvedAt);
                CREATE TABLE doctorFindings (id INTEGER PRIMARY KEY CHECK (id = 1), findings TEXT NOT NULL);
                """)
        }
    }

    public func recordCheckRun(_ run: CheckRun, check: String, calendar: HistoryCalendar, retention: HistoryRetention) throws {
        let at = Self.milliseconds(run.at)
        let duration = Int64(run.durationMs.rounded())
        let failed = run.up ? 0 : 1
        try queue.write { db in
            let id = try Self.checkID(check, db)
            try db.execute(sql: """
                INSERT OR REPLACE INTO checkRun (checkId, at, state, durationMs, layer, detail, certExpiry) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [id, at, run.state.rawValue, duration, run.layer, run.state == .ok ? nil : run.detail,
                                 run.certificateExpiry.map { Int64($0.timeIntervalSince1970) }])
            for (table, column, period) in [("checkHour", "hour", DatabaseValue(value: calendar.hour(run.at))),
                                            ("checkDay", "day", DatabaseValue(value: calendar.day(run.at)))] {
                try db.execute(sql: """
                    INSERT INTO \(table) (checkId, \(column), runs, failures, durationMs) VALUES (?, ?, 1, ?, ?)
                    ON CONFLICT (checkId, \(column)) DO UPDATE SET
                      runs = runs + 1, failures = failures + excluded.failures, durationMs = durationMs + excluded.durationMs
                    """, arguments: [id, period, failed, duration])
            }
            // Every 16th run of a check prunes a bounded batch: old runs of this check, then
            // aggregates past retention (any check's, a check removed from the lab file too).
            let runsThisHour = try Int.fetchOne(db, sql: "SELECT runs FROM checkHour WHERE checkId = ? AND hour = ?", arguments: [id, calendar.hour(run.at)]) ?? 0
            if runsThisHour % 16 == 1 {
                try Self.prune(db, checkID: id, now: run.at, calendar: calendar, retention: retention)
            }
        }
    }

    /// Deletes at most `pruneBatch` rows of each table; returns how many went.
    @discardableResult
    static func prune(_ db: Database, checkID: Int64, now: Date, calendar: HistoryCalendar, retention: HistoryRetention) throws -> Int {
        let batch = retention.pruneBatch
        var cutoff = milliseconds(now.addingTimeInterval(-retention.runsFor))
        // A check that runs rarely keeps its last runs for the bar anyway.
        if let kept = try Int64.fetchOne(db, sql: "SELECT at FROM checkRun WHERE checkId = ? ORDER BY at DESC LIMIT 1 OFFSET ?",
                                         arguments: [checkID, retention.keepLastRuns - 1]) {
            cutoff = min(cutoff, kept)
        } else {
            cutoff = Int64.min
        }
        try db.execute(sql: """
            DELETE FROM checkRun WHERE checkId = ? AND at IN (SELECT at FROM checkRun WHERE checkId = ? AND at < ? ORDER BY at LIMIT ?)
            """, arguments: [checkID, checkID, cutoff, batch])
        var deleted = db.changesCount
        let oldestDay = calendar.days(endingAt: now, count: retention.days).first ?? calendar.day(now)
        let oldestHour = calendar.hour(now) - Int64(retention.days) * 24
        try db.execute(sql: """
            DELETE FROM checkHour WHERE (checkId, hour) IN (SELECT checkId, hour FROM checkHour WHERE hour < ? LIMIT ?)
            """, arguments: [oldestHour, batch])
        deleted += db.changesCount
        try db.execute(sql: """
            DELETE FROM checkDay WHERE (checkId, day) IN (SELECT checkId, day FROM checkDay WHERE day < ? LIMIT ?)
            """, arguments: [oldestDay, batch])
        return deleted + db.changesCount
    }

    /// One prune now (watch calls it at start; tests call it to see it bounded).
    @discardableResult
    public func pruneHistory(now: Date, calendar: HistoryCalendar, retention: HistoryRetention) throws -> Int {
        try queue.write { db in
            var deleted = 0
            for id in try Int64.fetchAll(db, sql: "SELECT id FROM checkName") {
                deleted += try Self.prune(db, checkID: id, now: now, calendar: calendar, retention: retention)
            }
            return deleted
        }
    }

    static func checkID(_ name: String, _ db: Database) throws -> Int64 {
        if let id = try Int64.fetchOne(db, sql: "SELECT id FROM checkName WHERE name = ?", arguments: [name]) { return id }
        try db.execute(sql: "INSERT INTO checkName (name) VALUES (?)", arguments: [name])
        return db.lastInsertedRowID
    }

    static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }

    static func run(_ row: Row) -> CheckRun {
        let at: Int64 = row["at"]
        let expiry: Int64? = row["certExpiry"]
        return CheckRun(at: Date(timeIntervalSince1970: Double(at) / 1000), state: CheckRun.State(rawValue: row["state"]) ?? .fail,
                        durationMs: Double(row["durationMs"] as Int64), layer: row["layer"], detail: row["detail"],
                        certificateExpiry: expiry.map { Date(timeIntervalSince1970: Double($0)) })
    }

    public func recentRuns(check: String, limit: Int) throws -> [CheckRun] {
        try queue.read { db in
            try Row.fetchAll(db, sql: """
                SELECT checkRun.* FROM checkRun JOIN checkName ON checkName.id = checkRun.checkId
                WHERE checkName.name = ? ORDER BY at DESC LIMIT ?
                """, arguments: [check, limit]).map(Self.run)
        }
    }

    public func runs(check: String, since: Date) throws -> [CheckRun] {
        try queue.read { db in
            try Row.fetchAll(db, sql: """
                SELECT checkRun.* FROM checkRun JOIN checkName ON checkName.id = checkRun.checkId
                WHERE checkName.name = ? AND at >= ? ORDER BY at
                """, arguments: [check, Self.milliseconds(since)]).map(Self.run)
        }
    }

    public func days(check: String, fromDay: String) throws -> [CheckAggregate] {
        try queue.read { db in
            try Row.fetchAll(db, sql: """
                SELECT day, runs, failures, durationMs FROM checkDay JOIN checkName ON checkName.id = checkDay.checkId
                WHERE checkName.name = ? AND day >= ? ORDER BY day
                """, arguments: [check, fromDay]).map { row in
                CheckAggregate(period: row["day"], runs: row["runs"], failures: row["failures"], durationMsTotal: Double(row["durationMs"] as Int64))
            }
        }
    }

    public func totals(fromHour: Int64) throws -> [String: CheckAggregate] {
        try queue.read { db in
            var totals: [String: CheckAggregate] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT checkName.name AS name, SUM(runs) AS runs, SUM(failures) AS failures, SUM(durationMs) AS durationMs
                FROM checkHour JOIN checkName ON checkName.id = checkHour.checkId
                WHERE hour >= ? GROUP BY checkHour.checkId
                """, arguments: [fromHour]) {
                totals[row["name"]] = CheckAggregate(period: "since hour \(fromHour)", runs: row["runs"], failures: row["failures"],
                                                     durationMsTotal: Double(row["durationMs"] as Int64))
            }
            return totals
        }
    }

    public func snapshot(checks: [String], recent: Int, fromDay: String, fromHours: [Int64]) throws -> HistorySnapshot {
        try queue.read { db in
            var snapshot = HistorySnapshot()
            // The newest runs: one indexed read a check, through one prepared statement.
            let runs = try db.cachedStatement(sql: """
                SELECT checkRun.* FROM checkRun JOIN checkName ON checkName.id = checkRun.checkId
                WHERE checkName.name = ? ORDER BY at DESC LIMIT ?
                """)
            for check in checks {
                snapshot.recent[check] = try Row.fetchAll(runs, arguments: [check, recent]).map(Self.run)
            }
            // Every check's days: the whole window of the daily table, one query.
            for row in try Row.fetchAll(db, sql: """
                SELECT checkName.name AS name, day, runs, failures, durationMs FROM checkDay
                JOIN checkName ON checkName.id = checkDay.checkId WHERE day >= ? ORDER BY name, day
                """, arguments: [fromDay]) {
                snapshot.days[row["name"], default: []].append(
                    CheckAggregate(period: row["day"], runs: row["runs"], failures: row["failures"], durationMsTotal: Double(row["durationMs"] as Int64)))
            }
            // All the windows in one pass over the hourly rows of the longest.
            snapshot.totals = Array(repeating: [:], count: fromHours.count)
            guard let oldest = fromHours.min() else { return snapshot }
            let sums = fromHours.map { "SUM(CASE WHEN hour >= \($0) THEN runs ELSE 0 END), SUM(CASE WHEN hour >= \($0) THEN failures ELSE 0 END)" }
            for row in try Row.fetchAll(db, sql: """
                SELECT checkName.name, \(sums.joined(separator: ", ")) FROM checkHour
                JOIN checkName ON checkName.id = checkHour.checkId WHERE hour >= ? GROUP BY checkHour.checkId
                """, arguments: [oldest]) {
                let name: String = row[0]
                for (index, hour) in fromHours.enumerated() {
                    let runs: Int = row[1 + index * 2], failures: Int = row[2 + index * 2]
                    if runs > 0 { snapshot.totals[index][name] = CheckAggregate(period: "since hour \(hour)", runs: runs, failures: failures, durationMsTotal: 0) }
                }
            }
            return snapshot
        }
    }

    public func checkNames() throws -> [String] {
        try queue.read { db in try String.fetchAll(db, sql: "SELECT name FROM checkName ORDER BY name") }
    }

    /// Folds the write-ahead log into the file (what the file then weighs is the journal).
    public func checkpoint() throws {
        try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
    }

    /// The cheapest read: the benchmarks' floor.
    public func select1() throws -> Int {
        try queue.read { db in try Int.fetchOne(db, sql: "SELECT 1") ?? 0 }
    }

    // MARK: incidents

    public func openIncident(name: String, at: Date, message: String) throws {
        try queue.write { db in
            try db.execute(sql: "INSERT INTO incident (name, firedAt, message) VALUES (?, ?, ?)", arguments: [name, at, message])
        }
    }

    public func resolveIncident(name: String, at: Date, message: String) throws {
        try queue.write { db in
            try db.execute(sql: """
                UPDATE incident SET resolvedAt = ?, resolution = ?
                WHERE id = (SELECT id FROM incident WHERE name = ? AND resolvedAt IS NULL ORDER BY id DESC LIMIT 1)
                """, arguments: [at, message, name])
        }
    }

    public func incidents(limit: Int) throws -> [Incident] {
        try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM incident ORDER BY firedAt DESC, id DESC LIMIT ?", arguments: [limit]).map { row in
                Incident(name: row["name"], firedAt: row["firedAt"], resolvedAt: row["resolvedAt"], message: row["message"], resolution: row["resolution"])
            }
        }
    }

    // MARK: doctor

    public func saveDoctorFindings(_ findings: DoctorFindings) throws {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let text = String(decoding: try encoder.encode(findings), as: UTF8.self)
        try queue.write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO doctorFindings (id, findings) VALUES (1, ?)", arguments: [text])
        }
    }

    public func lastDoctorFindings() throws -> DoctorFindings? {
        let text = try queue.read { db in try String.fetchOne(db, sql: "SELECT findings FROM doctorFindings WHERE id = 1") }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try text.map { try decoder.decode(DoctorFindings.self, from: Data($0.utf8)) }
    }
}
