import ArgumentParser
import MoorCore
import MoorEngine

/// `moor plan`: observe and diff; changes nothing.
struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show what `moor up` would change. Exit 0 in sync, 2 changes pending.")

    @OptionGroup var options: GlobalOptions

    func run() async throws {
        try await Self.plan(options)
    }

    static func plan(_ options: GlobalOptions) async throws {
        let path = options.labPath()
        let lab = try LabFileReader.load(path)
        let context = try LiveContext.make(options)
        let run = try context.journal.beginRun(command: "plan", labFile: path)
        let plan: Plan
        do {
            plan = try await Engine(lab: lab, labPath: path, context: context).plan()
        } catch {
            try? context.journal.finishRun(run, outcome: "failed", detail: String(describing: error))
            throw error
        }
        try context.journal.finishRun(run, outcome: plan.isEmpty ? "in sync" : "changes pending",
                                      detail: "\(plan.changes.count) change(s)")
        switch options.output {
        case .json: try Console.json(plan)
        case .text: Console.out(PlanText.render(plan))
        }
        if !plan.isEmpty { throw CommandFailure(status: MoorExit.pending) }
    }
}
