import ArgumentParser
import Foundation

public enum OutputFormat: String, ExpressibleByArgument, Sendable, CaseIterable {
    case text, json
}

/// Flags every subcommand takes.
public struct GlobalOptions: ParsableArguments, Sendable {
    @Option(name: [.short, .customLong("file")], help: "The lab file (default: $MOOR_FILE, else ./moor.yaml).")
    public var file: String?

    @Option(name: [.short, .customLong("output")], help: "text or json.")
    public var output: OutputFormat = .text

    @Option(help: "Limit the command to one cluster of the lab file (its name under `clusters`).")
    public var cluster: String?

    @Flag(help: "Log every command moor runs, with its exit status and time, on stderr.")
    public var debug = false

    public init() {}

    /// `-f`, else `$MOOR_FILE`, else `./moor.yaml`.
    public func labPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        file ?? environment["MOOR_FILE"].flatMap { $0.isEmpty ? nil : $0 } ?? "moor.yaml"
    }
}
