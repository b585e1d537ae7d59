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

    @Option(help: "How long to wait for ArgoCD and the apps to settle, e.g. 15m.")
    var timeout = "15m"

    @OptionGroup var writer: WriterOptions

    @OptionGroup var restore: RestoreOptions

    func validate() throws {
        guard Units.milliseconds(timeout) != nil else { throw ValidationError("--timeout takes a duration such as 15m") }
    }

    func run() async throws {
        if dryRun {
            return try await PlanCommand.plan(options, restore: restore.choice)
        }
        let path = options.labPath()
        let lab = try LabFileReader.load(path, cluster: options.cluster)
        var context = try LiveContext.make(options)
        context.restore = restore.choice
        let lock = try await ClusterLock.take(lab, command: "up", options: writer, context: context)
        defer { lock.release() }
        let report = try await context.journal.withRun(command: "up", labFile: path) { run in
            let wait: Duration = .milliseconds(Units.milliseconds(timeout) ?? 900_000)
            return try await ResourceEngine(lab: lab, labPath: path, context: context).up(UpOptions(allowRecreate: allowRecreate, waitTimeout: wait), run: run)
        }
        let apps = (report.observed["app"] as? [Application]).flatMap { list in (try? AppsEngine(lab: lab, labPath: path, context: context))?.rows(list) }
        switch options.output {
        case .json:
            try Console.json(JSONWithField(base: report, key: "apps", value: apps, nullWhenAbsent: false))
        case .text:
            Console.out(PlanText.render(report))
            if let apps, !apps.isEmpty {
                Console.out(Table.render(header: ["APP", "SYNC", "HEALTH", "REVISION"], rows: apps.map { [$0.name, $0.sync.description, $0.health.description, $0.syncedRevision ?? "-"] }))
            }
        }
    }
}
