import ArgumentParser
import Foundation
import MoorCore
import MoorJournal

/// `moor history`: the journal's runs, newest first.
struct History: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List past runs from the journal, or with RUN, what that run changed.")

    @OptionGroup var options: GlobalOptions

    @Option(help: "How many runs to show.")
    var limit = 20

    @Argument(help: "A run number: show the changes it applied (with before and after in -o json).")
    var run: Int64?

    func validate() throws {
        guard limit > 0 else { throw ValidationError("--limit must be at least 1") }
    }

    func run() async throws {
        let context = try LiveContext.make(options)
        if let run { return try show(run, journal: context.journal) }
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

    func show(_ id: Int64, journal: any Journal) throws {
        guard let record = try journal.run(id: id) else {
            let latest = try journal.runs(limit: 1).first?.id
            throw MoorError(.notFound, "there is no run \(id) in the journal\(latest.map { " (runs go up to \($0)); `moor history` lists them" } ?? " (it has no runs yet)")")
        }
        let changes = try journal.changes(run: id)
        switch options.output {
        case .json:
            struct Report: Encodable { var run: Int64; var changes: [ChangeRecord] }
            try Console.json(Report(run: id, changes: changes))
        case .text:
            Console.out(changes.isEmpty ? "run \(id) (\(record.command), \(record.outcome ?? "interrupted")) applied no changes"
                        : Table.render(header: ["RESOURCE", "ACTION", "SUMMARY"], rows: changes.map { [$0.resource, $0.action, $0.summary] }))
        }
    }
}
