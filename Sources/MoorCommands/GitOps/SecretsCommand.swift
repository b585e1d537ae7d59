import ArgumentParser
import Foundation
import MoorCore
import MoorEngine

/// `moor secrets`: apply `op://` templates without touching disk; which Secrets exist.
struct SecretsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "secrets",
        abstract: "Secret templates: status (which Secret objects exist) and apply (render in memory, pipe to kubectl apply).",
        subcommands: [SecretsStatus.self, SecretsApply.self],
        defaultSubcommand: SecretsStatus.self)
}

struct SecretsStatus: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "For each template, its Secret objects and whether they exist. Exit 2 when any is missing.")

    @OptionGroup var options: GlobalOptions

    func run() async throws {
        let path = options.labPath()
        let lab = try LabFileReader.load(path)
        let statuses = try await SecretsEngine(lab: lab, labPath: path, context: try LiveContext.make(options)).status()
        switch options.output {
        case .json:
            struct Report: Encodable { var secrets: [SecretsEngine.Status] }
            try Console.json(Report(secrets: statuses))
        case .text:
            let rows = statuses.map { [$0.template, "\($0.namespace)/\($0.name)", $0.present ? "present" : "MISSING"] }
            let missing = statuses.filter { !$0.present }.count
            Console.out(Table.render(header: ["TEMPLATE", "SECRET", "STATE"], rows: rows)
                        + "\n" + (missing == 0 ? "all \(statuses.count) present" : "\(missing) missing; run `moor secrets apply`"))
        }
        if statuses.contains(where: { !$0.present }) { throw CommandEnd.changesPending }
    }
}

struct SecretsApply: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "apply", abstract: "Resolve each template's references (op, env, file) in memory and pipe it to `kubectl apply -f -`.")

    @OptionGroup var options: GlobalOptions

    @Option(help: "Only this template (repeatable).")
    var only: [String] = []

    @OptionGroup var writer: WriterOptions

    func run() async throws {
        let path = options.labPath()
        let lab = try LabFileReader.load(path)
        let context = try LiveContext.make(options)
        let lock = try await ClusterLock.take(lab, command: "secrets apply", options: writer, context: context)
        defer { lock.release() }
        let applied = try await context.journal.withRun(command: "secrets apply", labFile: path) { run in
            try await SecretsEngine(lab: lab, labPath: path, context: context).apply(only: only, run: run)
        }
        switch options.output {
        case .json:
            struct Report: Encodable { var applied: [SecretsEngine.Applied] }
            try Console.json(Report(applied: applied))
        case .text:
            Console.out(applied.map { "\($0.template): \($0.objects.joined(separator: ", ")) (\($0.references) reference(s) resolved)" }.joined(separator: "\n"))
        }
    }
}
