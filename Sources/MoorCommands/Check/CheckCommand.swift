import ArgumentParser
import Foundation
import MoorCore
import MoorEngine
import MoorProbe

/// `moor check`: every check of the lab file, concurrently; which layer broke and why.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Run the lab file's checks concurrently. Exit 0 when all are ok or warn, 2 when any fails.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, junit }

    @Option(name: [.short, .customLong("file")], help: "The lab file (default: $MOOR_FILE, else ./moor.yaml).")
    var file: String?

    @Option(name: [.short, .customLong("output")], help: "text, json or junit.")
    var output: Format = .text

    @Flag(help: "Log every command moor starts on stderr.")
    var debug = false

    @Option(help: "Run only the checks of one cluster of the lab file (and those that name none).")
    var cluster: String?

    @Option(name: .customLong("only"), help: "Run only these checks: names, comma-separated or repeated (as doctor --only).")
    var onlyLists: [String] = []

    @Option(name: .customLong("tag"), help: "Run only checks with one of these tags: comma-separated or repeated.")
    var tagLists: [String] = []

    @Option(help: "How many checks run at once (default 64, at most a quarter of the open-file limit).")
    var concurrency: Int?

    func validate() throws {
        if let concurrency, concurrency < 1 { throw ValidationError("--concurrency must be at least 1") }
    }

    func run() async throws {
        var options = GlobalOptions()
        options.file = file
        let path = options.labPath()
        let lab = try LabFileReader.load(path, cluster: cluster)
        var checks = lab.checks
        let only = CommaList.split(onlyLists, known: Set(checks.map(\.name)))
        let tags = CommaList.split(tagLists)
        let unknown = only.filter { name in !checks.contains { $0.name == name } }
        if !unknown.isEmpty {
            throw MoorError(.usage, "no check named \(unknown.map { "`\($0)`" }.joined(separator: ", ")) in \(path)")
        }
        let knownTags = Set(checks.flatMap(\.tags))
        let unknownTags = tags.filter { !knownTags.contains($0) }
        if !unknownTags.isEmpty {
            throw MoorError(.usage, "no check tagged \(unknownTags.map { "`\($0)`" }.joined(separator: ", ")) in \(path)\(knownTags.isEmpty ? "; its checks have no tags" : "; tags are: \(knownTags.sorted().joined(separator: ", "))")")
        }
        if !only.isEmpty { checks = checks.filter { only.contains($0.name) } }
        if !tags.isEmpty { checks = checks.filter { !Set($0.tags).isDisjoint(with: tags) } }
        let context = try LiveContext.make(debug: debug, quiet: true)
        let report = try await context.journal.withRun(command: "check", labFile: path) { run in
            let report = await CheckRunner(lab: lab, context: context, labPath: path).run(checks, concurrency: concurrency ?? CheckRunner.defaultConcurrency)
            // Ctrl-C ends the probes under way; the run is then interrupted, not a result.
            try Task.checkCancellation()
            run.conclude(report.failed ? .failed : .ok, detail: "\(report.checks.count) check(s), \(report.checks.filter { $0.state == .fail }.count) failing")
            return report
        }
        switch output {
        case .json: try CheckRender.json(report)
        case .junit: Console.out(CheckRender.junit(report))
        case .text: Console.out(CheckRender.table(report, color: Console.stdoutIsTerminal))
        }
        if report.failed { throw CommandEnd.checksFailed }
    }
}
