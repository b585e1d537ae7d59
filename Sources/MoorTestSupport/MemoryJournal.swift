import MoorJournal

/// A journal in an in-memory SQLite database: the real code, nothing on disk.
public enum TestJournal {
    public static func make() throws -> SQLiteJournal { try SQLiteJournal(path: ":memory:") }
}
