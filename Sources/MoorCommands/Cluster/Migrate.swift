import ArgumentParser
import MoorCore
import MoorEngine
import MoorJournal

/// The flags of `migrate` and `rollback`.
struct MigrationFlags: ParsableArguments {
    @Flag(help: "Print the steps and change nothing.")
    var dryRun = false

    @Option(help: "How long the rest of `up` may wait for ArgoCD and the apps, e.g. 15m.")
    var timeout = "15m"

    func validate() throws {
        guard Units.milliseconds(timeout) != nil else { throw ValidationError("--timeout takes a duration such as 15m") }
    }
}

/// `moor migrate`: recreate the cluster with the lab file's settings, keeping the volumes.
struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Recreate the cluster to change what only a new cluster can change (driver, runtime, CPUs, memory, disk, certificate names), keeping its volumes; rerun to resume.")

    @OptionGroup var options: GlobalOptions
    @OptionGroup var flags: MigrationFlags
    @OptionGroup var writer: WriterOptions

    func run() async throws {
        try await MigrationCommand.run(.migrate, options: options, writer: writer, dryRun: flags.dryRun, timeout: flags.timeout)
    }
}

/// `moor rollback`: back to the settings and volumes of before the last migration.
struct Rollback: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Recreate the cluster with the settings it had before the last `moor migrate`, and restore that migration's backup; rerun to resume.")

    @OptionGroup var options: GlobalOptions
    @OptionGroup var flags: MigrationFlags
    @OptionGroup var writer: WriterOptions

    func run() async throws {
        try await MigrationCommand.run(.rollback, options: options, writer: writer, dryRun: flags.dryRun, timeout: flags.timeout)
    }
}

/// What `migrate` and `rollback` share: the lock, one journal run, the rendering.
enum MigrationCommand {
    static func run(_ kind: MigrationKind, options: GlobalOptions, writer: WriterOptions, dryRun: Bool, timeout: String) async throws {
        let path = options.labPath()
        let lab = try LabFileReader.load(path, cluster: options.cluster)
        let context = try LiveContext.make(options)
        let lock = try await ClusterLock.take(lab, command: kind.description, options: writer, context: context)
        defer { lock.release() }
        let upOptions = UpOptions(allowRecreate: false, waitTimeout: .milliseconds(Units.milliseconds(timeout) ?? 900_000))
        let migrator = Migrator(lab: lab, labPath: path, context: context)
        let report = try await context.journal.withRun(command: dryRun ? "\(kind) --dry-run" : kind.description, labFile: path) { run in
            kind == .migrate ? try await migrator.migrate(dryRun: dryRun, options: upOptions, run: run)
                              : try await migrator.rollback(dryRun: dryRun, options: upOptions, run: run)
        }
        switch options.output {
        case .json: try Console.json(report)
        case .text: Console.out(render(report, dryRun: dryRun))
        }
    }

    static func render(_ report: MigrationReport, dryRun: Bool) -> String {
        var lines = ["\(report.kind)\(report.migration.map { " \($0)" } ?? ""): \(report.from) → \(report.to)"]
        lines.append(Table.render(header: ["STEP", "STATE", "TIME", "DETAIL"], rows: report.steps.map {
            [$0.name, $0.state.rawValue, $0.seconds.map { String(format: "%.1fs", $0) } ?? "-", $0.detail ?? ""]
        }))
        if let checks = report.checks { lines.append("checks: \(checks.ok) ok, \(checks.warn) warn, \(checks.fail) fail") }
        if !report.labStillAsks.isEmpty {
            lines.append("the lab file still asks for the new settings, so the next `moor up` would plan a recreate; change these keys back:")
            lines += report.labStillAsks.map { "  " + $0 }
        }
        if dryRun { lines.append("dry run: nothing changed") }
        return lines.joined(separator: "\n")
    }
}
