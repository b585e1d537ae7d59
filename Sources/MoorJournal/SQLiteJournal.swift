import Foundation
import GRDB
import MoorCore

/// The journal in one SQLite file under the state directory.
public final class SQLiteJournal: Journal {
    let queue: any DatabaseWriter

    /// Opens (creating if needed) the journal at `path`; `:memory:` for a throwaway one. A
    /// file is opened in WAL mode with a busy timeout, so concurrent moor processes wait for
    /// each other instead of failing with `database is locked`.
    public init(path: String) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        // One connection (a pool's readers are not needed by a short command), in WAL mode.
        if path != ":memory:" { configuration.journalMode = .wal }
        queue = try Self.open(path, configuration)
    }

    /// Two moor processes opening a new journal at once race twice: switching it to WAL needs
    /// the file to themselves (`database is locked`, which the busy timeout does not cover),
    /// and both find a migration unapplied (the second's CREATE fails, its transaction rolled
    /// back). Opening again sees the first's work done.
    static func open(_ path: String, _ configuration: Configuration) throws -> any DatabaseWriter {
        var attempt = 0
        while true {
            do {
                let queue = path == ":memory:" ? try DatabaseQueue(configuration: configuration)
                                               : try DatabaseQueue(path: path, configuration: configuration)
                try migrator.migrate(queue)
                return queue
            } catch let error as DatabaseError where attempt < 10 && [ResultCode.SQLITE_BUSY, .SQLITE_LOCKED, .SQLITE_ERROR].contains(error.resultCode.primaryResultCode) {
                attempt += 1
                usleep(10_000 * UInt32(attempt))
            }
        }
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE run (
                  id INTEGER PRIMARY KEY AUTOINCREMENT,
                  command TEXT NOT NULL, labFile TEXT NOT NULL,
                  startedAt DATETIME NOT NULL, finishedAt DATETIME,
                  outcome TEXT, detail TEXT);
                CREATE TABLE change (
                  id INTEGER PRIMARY KEY AUTOINCREMENT,
                  runId INTEGER NOT NULL REFERENCES run(id),
                  resource TEXT NOT NULL, action TEXT NOT NULL, summary TEXT NOT NULL,
                  before TEXT, after TEXT, appliedAt DATETIME NOT NULL);
                CREATE TABLE followUp (
                  id INTEGER PRIMARY KEY AUTOINCREMENT,
                  runId INTEGER NOT NULL REFERENCES run(id),
                  kind TEXT NOT NULL, resource TEXT NOT NULL, detail TEXT NOT NULL,
                  createdAt DATETIME NOT NULL, doneAt DATETIME);
                """)
        }
        migrator.registerMigration("v2 migrations") { db in
            try db.execute(sql: """
                CREATE TABLE migration (
                  id INTEGER PRIMARY KEY AUTOINCREMENT,
                  kind TEXT NOT NULL, labFile TEXT NOT NULL,
                  startedAt DATETIME NOT NULL, finishedAt DATETIME,
                  snapshot TEXT, backup TEXT);
                CREATE TABLE migrationStep (
                  id INTEGER PRIMARY KEY AUTOINCREMENT,
                  migrationId INTEGER NOT NULL REFERENCES migration(id),
                  step TEXT NOT NULL, detail TEXT, doneAt DATETIME NOT NULL);
                """)
        }
        migrator.registerMigration("v3 alerts") { db in
            try db.execute(sql: """
                CREATE TABLE alert (
                  name TEXT PRIMARY KEY,
                  state TEXT NOT NULL, updatedAt DATETIME NOT NULL);
                """)
        }
        registerHistory(&migrator)
        registerBackups(&migrator)
        return migrator
    }

    public func withRun<T: Sendable>(command: String, labFile: String, _ body: (RunHandle) async throws -> T) async throws -> T {
        let run = RunHandle(id: try beginRun(command: command, labFile: labFile), journal: self)
        do {
            let result = try await body(run)
            let (outcome, detail) = run.concluded
            try finishRun(run.id, outcome: outcome.rawValue, detail: detail)
            return result
        } catch {
            let interrupted = Interrupted.means(error) || Task.isCancelled
            try? finishRun(run.id, outcome: (interrupted ? RunOutcome.interrupted : .failed).rawValue, detail: String(describing: error))
            throw error
        }
    }

    func beginRun(command: String, labFile: String) throws -> Int64 {
        try queue.write { db in
            try db.execute(sql: "INSERT INTO run (command, labFile, startedAt) VALUES (?, ?, ?)",
                           arguments: [command, labFile, Date()])
            return db.lastInsertedRowID
        }
    }

    func finishRun(_ id: Int64, outcome: String, detail: String?) throws {
        try queue.write { db in
            try db.execute(sql: "UPDATE run SET finishedAt = ?, outcome = ?, detail = ? WHERE id = ?",
                           arguments: [Date(), outcome, detail, id])
        }
    }

    public func record(_ change: ChangeRecord) throws {
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO change (runId, resource, action, summary, before, after, appliedAt)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [change.runID, change.resource, change.action, change.summary, change.before, change.after, Date()])
        }
    }

    public func addFollowUp(run: Int64, kind: String, resource: String, detail: String) throws -> Int64 {
        try queue.write { db in
            if let existing = try Int64.fetchOne(db, sql: "SELECT id FROM followUp WHERE kind = ? AND resource = ? AND doneAt IS NULL",
                                                 arguments: [kind, resource]) {
                return existing
            }
            try db.execute(sql: "INSERT INTO followUp (runId, kind, resource, detail, createdAt) VALUES (?, ?, ?, ?, ?)",
                           arguments: [run, kind, resource, detail, Date()])
            return db.lastInsertedRowID
        }
    }

    public func pendingFollowUps() throws -> [FollowUp] {
        try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM followUp WHERE doneAt IS NULL ORDER BY id").map { row in
                FollowUp(id: row["id"], kind: row["kind"], resource: row["resource"], detail: row["detail"], createdAt: row["createdAt"])
            }
        }
    }

    public func completeFollowUp(_ id: Int64) throws {
        try queue.write { db in
            try db.execute(sql: "UPDATE followUp SET doneAt = ? WHERE id = ?", arguments: [Date(), id])
        }
    }

    public func runs(limit: Int) throws -> [RunRecord] {
        try queue.read { db in
            try Row.fetchAll(db, sql: """
                SELECT run.*, (SELECT COUNT(*) FROM change WHERE change.runId = run.id) AS changes
                FROM run ORDER BY id DESC LIMIT ?
                """, arguments: [limit]).map { row in
                RunRecord(id: row["id"], command: row["command"], labFile: row["labFile"], startedAt: row["startedAt"],
                          finishedAt: row["finishedAt"], outcome: row["outcome"], detail: row["detail"], changes: row["changes"])
            }
        }
    }

    public func run(id: Int64) throws -> RunRecord? {
        try queue.read { db in
            try Row.fetchOne(db, sql: """
                SELECT run.*, (SELECT COUNT(*) FROM change WHERE change.runId = run.id) AS changes
                FROM run WHERE id = ?
                """, arguments: [id]).map { row in
                RunRecord(id: row["id"], command: row["command"], labFile: row["labFile"], startedAt: row["startedAt"],
                          finishedAt: row["finishedAt"], outcome: row["outcome"], detail: row["detail"], changes: row["changes"])
            }
        }
    }

    public func changes(run: Int64) throws -> [ChangeRecord] {
        try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM change WHERE runId = ? ORDER BY id", arguments: [run]).map { row in
                ChangeRecord(runID: row["runId"], resource: row["resource"], action: row["action"], summary: row["summary"],
                             before: row["before"], after: row["after"])
            }
        }
    }

    // MARK: migrations

    public func openMigration(kind: MigrationKind, labFile: String, snapshot: String?) throws -> Migration {
        try queue.write { db in
            try db.execute(sql: "INSERT INTO migration (kind, labFile, startedAt, snapshot) VALUES (?, ?, ?, ?)",
                           arguments: [kind.description, labFile, Date(), snapshot])
            return Migration(id: db.lastInsertedRowID, kind: kind, startedAt: Date(), finishedAt: nil, snapshot: snapshot, backup: nil, steps: [])
        }
    }

    public func migrations(limit: Int) throws -> [Migration] {
        try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM migration ORDER BY id DESC LIMIT ?", arguments: [limit]).map { row in
                let id: Int64 = row["id"]
                let steps = try Row.fetchAll(db, sql: "SELECT step, detail FROM migrationStep WHERE migrationId = ? ORDER BY id", arguments: [id])
                    .map { Migration.Step(name: $0["step"], detail: $0["detail"]) }
                return Migration(id: id, kind: MigrationKind(row["kind"] as String), startedAt: row["startedAt"], finishedAt: row["finishedAt"],
                                 snapshot: row["snapshot"], backup: row["backup"], steps: steps)
            }
        }
    }

    public func completeStep(_ step: String, detail: String?, migration: Int64) throws {
        try queue.write { db in
            try db.execute(sql: "INSERT INTO migrationStep (migrationId, step, detail, doneAt) VALUES (?, ?, ?, ?)",
                           arguments: [migration, step, detail, Date()])
        }
    }

    public func setMigration(_ id: Int64, snapshot: String?, backup: String?) throws {
        try queue.write { db in
            if let snapshot { try db.execute(sql: "UPDATE migration SET snapshot = ? WHERE id = ?", arguments: [snapshot, id]) }
            if let backup { try db.execute(sql: "UPDATE migration SET backup = ? WHERE id = ?", arguments: [backup, id]) }
        }
    }

    public func finishMigration(_ id: Int64) throws {
        try queue.write { db in
            try db.execute(sql: "UPDATE migration SET finishedAt = ? WHERE id = ?", arguments: [Date(), id])
        }
    }
}
