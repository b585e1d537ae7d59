import ArgumentParser
import MoorCore
import MoorEngine

/// `moor move APP… --to CLUSTER`: move apps and their data between the lab's clusters.
struct MoveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "move",
        abstract: "Move apps with their data to another cluster: backup, retarget with sync paused, restore, resume, wait Healthy, then clean the source.")

    @OptionGroup var options: GlobalOptions

    @Argument(help: "The Applications to move (none: finish every unfinished move).")
    var apps: [String] = []

    @Option(help: "The lab's cluster to move them to.")
    var to: String?

    @Flag(help: "Move each app back to the cluster its last move took it from.")
    var back = false

    @Flag(help: "Print the steps and change nothing.")
    var dryRun = false

    @Option(help: "How long to wait for an app to become Healthy on the target, e.g. 15m.")
    var timeout = "15m"

    @OptionGroup var writer: WriterOptions

    func validate() throws {
        guard Units.milliseconds(timeout) != nil else { throw ValidationError("--timeout takes a duration such as 15m") }
        if back, to != nil { throw ValidationError("--back and --to contradict each other: --back returns an app where it came from") }
        if back, apps.isEmpty { throw ValidationError("--back needs the apps to move back") }
    }

    func run() async throws {
        let path = options.labPath()
        let lab = try LabFileReader.load(path, cluster: nil)
        var context = try LiveContext.make(options)
        context.restore = .none
        let lock = dryRun ? nil : try await ClusterLock.take(lab, command: "move", options: writer, context: context)
        defer { lock?.release() }
        let wait: Duration = .milliseconds(Units.milliseconds(timeout) ?? 900_000)
        let report = try await context.journal.withRun(command: dryRun ? "move --dry-run" : "move", labFile: path) { run in
            try await Mover(lab: lab, labPath: path, context: context).move(apps, to: to, back: back, dryRun: dryRun, options: UpOptions(waitTimeout: wait), run: run)
        }
        switch options.output {
        case .json: try Console.json(report)
        case .text:
            for move in report.moves {
                Console.out("move\(move.move.map { " \($0)" } ?? ""): \(move.app) from \(move.from) to \(move.to)")
                Console.out(Table.render(header: ["STEP", "STATE", "DETAIL"], rows: move.steps.map { [$0.name, $0.state.rawValue, $0.detail ?? ""] }))
            }
            if dryRun { Console.out("dry run: nothing changed") }
        }
    }
}
