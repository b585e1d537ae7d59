import Foundation
import GRDB
import MoorCore

/// Backups, one row each: the record as JSON beside the columns it is looked up by. A pruned
/// backup keeps its row (with `prunedAt`) so `moor history` can still say what happened.
extension SQLiteJournal {
    static func registerBackups(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v5 backups") { db in
            try db.execute(sql: """
                CREATE TABLE backup (
                  id TEXT PRIMARY KEY, cluster TEXT NOT NULL, createdAt DATETIME NOT NULL,
                  verified INTEGER NOT NULL, record TEXT NOT NULL, prunedAt DATETIME);
                CREATE INDEX backupCluster ON backup (cluster, createdAt);
                """)
        }
    }

    public func recordBackup(_ record: BackupRecord) throws {
        let text = String(decoding: try JSONEncoder().encode(record), as: UTF8.self)
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO backup (id, cluster, createdAt, verified, record) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET verified = excluded.verified, record = excluded.record
                """, arguments: [record.id, record.cluster, record.createdAt, record.verified ? 1 : 0, text])
        }
    }

    public func backups(cluster: String?, includeFailed: Bool) throws -> [BackupRecord] {
        try queue.read { db in
            var sql = "SELECT record FROM backup WHERE prunedAt IS NULL"
            var arguments: StatementArguments = []
            if let cluster {
                sql += " AND cluster = ?"
                arguments += [cluster]
            }
            if !includeFailed { sql += " AND verified = 1" }
            sql += " ORDER BY createdAt DESC, id DESC"
            return try String.fetchAll(db, sql: sql, arguments: arguments).compactMap {
                try? JSONDecoder().decode(BackupRecord.self, from: Data($0.utf8))
            }
        }
    }

    public func markBackupPruned(_ id: String) throws {
        try queue.write { db in
            try db.execute(sql: "UPDATE backup SET prunedAt = ? WHERE id = ?", arguments: [Date(), id])
        }
    }
}
