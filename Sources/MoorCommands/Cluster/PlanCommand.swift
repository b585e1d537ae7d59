import ArgumentParser
import MoorCore
import MoorEngine

/// `moor plan`: observe and diff; changes nothing.
struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show what `moor up` would change. Exit 0 in sync, 2 changes pending.")

    @OptionGroup var options: GlobalOptions

    @OptionGroup var restore: RestoreOptions

    func run() async throws {
        try await Self.plan(options, restore: restore.choice)
    }

    static func plan(_ options: GlobalOptions, restore: RestoreChoice = .newest) async throws {
        let path = options.labPath()
        let lab = try LabFileReader.load(path, cluster: options.cluster)
        var context = try LiveContext.make(options)
        context.restore = restore
        let plan = try await context.journal.withRun(command: "plan", labFile: path) { run in
            let plan = try await ResourceEngine(lab: lab, labPath: path, context: context).plan().plan
            run.conclude(plan.isEmpty ? .inSync : .changesPending, detail: "\(plan.changes.count) change(s)")
            return plan
        }
        switch options.output {
        case .json: try Console.json(plan)
        case .text: Console.out(PlanText.render(plan))
        }
        if !plan.isEmpty { throw CommandEnd.changesPending }
    }
}
