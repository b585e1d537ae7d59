import ArgumentParser
import MoorCore
import MoorEngine

/// `moor up`: make the lab file true; a second run does nothing.
struct Up: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Converge the cluster, its registry mirrors, its tailnet exposure, secrets and apps.")

    @OptionGroup var options: GlobalOptions

    @Flag(help: "Allow deleting and recreating the cluster when a setting fixed at creation differs.")
    var allowRecreate = false

    @Flag(help: "Show the plan and change nothing (same as `moor plan`).")
    var dryRun = false

    @OptionGroup var writer: WriterOptions

    func run() async throws {
        if dryRun {
            return try await PlanCommand.plan(options)
        }
        let path = options.labPath()
        let lab = try LabFileReader.load(path)
        let context = try LiveContext.make(options)
        let lock = try await ClusterLock.take(lab, command: "up", options: writer, context: context)
        defer { lock.release() }
        let report = try await context.journal.withRun(command: "up", labFile: path) { run in
            try await ResourceEngine(lab: lab, labPath: path, context: context).up(UpOptions(allowRecreate: allowRecreate), run: run)
        }
        switch options.output {
        case .json: try Console.json(report)
        case .text: Console.out(PlanText.render(report))
        }
    }
}
