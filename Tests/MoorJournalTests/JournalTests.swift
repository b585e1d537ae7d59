import Foundation
import Testing
import MoorJournal
import MoorTestSupport

@Suite struct JournalTests {
    @Test func runsChangesAndFollowUpsSurviveReopening() throws {
        let scratch = try Scratch()
        let path = scratch.path + "/journal.sqlite"
        do {
            let journal = try SQLiteJournal(path: path)
            let run = try journal.beginRun(command: "up", labFile: "moor.yaml")
            try journal.record(ChangeRecord(runID: run, resource: "mirror:quay.io", action: "create", summary: "write", before: nil, after: "server = 1"))
            let followUp = try journal.addFollowUp(run: run, kind: "restart-containerd", resource: "cluster", detail: "reload")
            #expect(try journal.addFollowUp(run: run, kind: "restart-containerd", resource: "cluster", detail: "again") == followUp)
            // The run is left unfinished, as when moor is killed half-way.
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
        let second = try journal.beginRun(command: "plan", labFile: "moor.yaml")
        try journal.finishRun(second, outcome: "in sync", detail: nil)
        #expect(try journal.runs(limit: 1).map(\.outcome) == ["in sync"])
        #expect(try journal.runs(limit: 5).map(\.command) == ["plan", "up"])
    }

    @Test func aFileThatIsNotADatabaseIsAnError() throws {
        let scratch = try Scratch()
        let path = try scratch.write("journal.sqlite", "this is not sqlite, just text that is long enough to matter")
        #expect(throws: (any Error).self) { try SQLiteJournal(path: path) }
    }
}
