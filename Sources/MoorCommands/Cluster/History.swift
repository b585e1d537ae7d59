import ArgumentParser
import Foundation
import MoorJournal

/// `moor history`: the journal's runs, newest first.
struct History: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List past plan and up runs from the journal.")

    @OptionGroup var options: GlobalOptions

    @Option(help: "How many runs to show.")
    var limit = 20

    func validate() throws {
        guard limit > 0 else { throw ValidationError("--limit must be at least 1") }
    }

    func run() async throws {
        let context = try LiveContext.make(options)
        let runs = try context.journal.runs(limit: limit)
        switch options.output {
        case .json:
            struct Report: Encodable { var runs: [RunRecord] }
            try Console.json(Report(runs: runs))
        case .text:
            let formatter = ISO8601DateFormatter()
            let rows = runs.map { run in
                [String(run.id), formatter.string(from: run.startedAt), run.command, run.outcome ?? "interrupted",
                 String(run.changes), run.labFile]
            }
            Console.out(runs.isEmpty ? "no runs yet" : Table.render(header: ["RUN", "STARTED", "COMMAND", "OUTCOME", "CHANGES", "LAB FILE"], rows: rows))
        }
    }
}
