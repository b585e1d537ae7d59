import Foundation
import GRDB
import MoorCore

/// Alert state as one JSON document a name: small, read once when watch starts, written on
/// every change of counts or outbox.
extension SQLiteJournal {
    public func alertStates() throws -> [String: AlertState] {
        try queue.read { db in
            var states: [String: AlertState] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT name, state FROM alert") {
                let text: String = row["state"]
                if let state = try? JSONDecoder().decode(AlertState.self, from: Data(text.utf8)) { states[row["name"]] = state }
            }
            return states
        }
    }

    public func saveAlertState(_ state: AlertState, name: String) throws {
        let text = String(decoding: try JSONEncoder().encode(state), as: UTF8.self)
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO alert (name, state, updatedAt) VALUES (?, ?, ?)
                ON CONFLICT(name) DO UPDATE SET state = excluded.state, updatedAt = excluded.updatedAt
                """, arguments: [name, text, Date()])
        }
    }
}
