import Foundation
import Testing
@testable import MoorJournal
import MoorTestSupport

@Suite struct JournalTests {
    @Test func runsChangesAndFollowUpsSurviveReopening() async throws {
        let scratch = try Scratch()
        let path = scratch.path + "/journal.sqlite"
        do {
            let journal = try SQLiteJournal(path: path)
            // Opened and never finished, as when moor is killed half-way.
            let run = RunHandle(id: try journal.beginRun(command: "up", labFile: "moor.yaml"), journal: journal)
            try run.record("mirror:quay.io", action: "create", summary: "write", after: "server = 1")
            let followUp = try run.addFollowUp(kind: "restart-containerd", resource: "cluster", detail: "reload")
            #expect(try run.addFollowUp(kind: "restart-containerd", resource: "cluster", detail: "again") == followUp)
        }
        let journal = try SQLiteJournal(path: path)
        let runs = try journal.runs(limit: 10)
        #expect(runs.count == 1)
        #expect(runs[0].outcome == nil)
        #expect(runs[0].changes == 1)
        #expect(try journal.changes(run: runs[0].id).first?.after == "server = 1")
        let pending = try journal.pendingFollowUps()
        #expect(pending.map(\.kind) == ["restart-containerd"])
        try journal.completeFollowUp(pending[0].id)
        #expect(try journal.pendingFollowUps().isEmpty)
        try await journal.withRun(command: "plan", labFile: "moor.yaml") { $0.conclude(.inSync) }
        #expect(try journal.runs(limit: 1).map(\.outcome) == ["in sync"])
        #expect(try journal.runs(limit: 5).map(\.command) == ["plan", "up"])
    }

    struct Boom: Error {}

    @Test func aRunEndsOkFailedOrInterrupted() async throws {
        let journal = try TestJournal.make()
        let value = try await journal.withRun(command: "up", labFile: "a") { _ in 42 }
        #expect(value == 42)
        await #expect(throws: Boom.self) { try await journal.withRun(command: "up", labFile: "a") { _ in throw Boom() } }
        await #expect(throws: CancellationError.self) { try await journal.withRun(command: "up", labFile: "a") { _ in throw CancellationError() } }
        #expect(try journal.runs(limit: 3).map(\.outcome) == ["interrupted", "failed", "ok"])
    }

    @Test func twoProcessesShareTheJournalWithoutLockErrors() async throws {
        let scratch = try Scratch()
        let path = scratch.path + "/journal.sqlite"
        let first = try SQLiteJournal(path: path)
        let second = try SQLiteJournal(path: path)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for journal in [first, second] {
                group.addTask {
                    for index in 0..<50 {
                        try await journal.withRun(command: "up", labFile: "a") { try $0.record("cluster", action: "update", summary: "\(index)") }
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try first.runs(limit: 200).count == 100)
    }

    @Test func processesOpeningANewJournalTogetherAllSucceed() async throws {
        for round in 0..<20 {
            let scratch = try Scratch()
            let path = scratch.path + "/journal.sqlite"
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<6 {
                    group.addTask { _ = try SQLiteJournal(path: path) }
                }
                try await group.waitForAll()
            }
            #expect(try SQLiteJournal(path: path).runs(limit: 1).isEmpty, "round \(round)")
        }
    }

    @Test func aFileThatIsNotADatabaseIsAnError() throws {
        let scratch = try Scratch()
        let path = try scratch.write("journal.sqlite", "this is not sqlite, just text that is long enough to matter")
        #expect(throws: (any Error).self) { try SQLiteJournal(path: path) }
    }
}
