import ArgumentParser
import Foundation

/// `moor demo`: the seed's story against stand-in tools, on a machine with no homelab.
struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run plan/up/status against stand-in minikube, docker and tailscale in a scratch directory.")

    @Flag(help: "Keep the scratch directory (lab file, stand-in state, journal) and print its path.")
    var keep = false

    @Option(help: "The stand-in executable (default: moor-standin beside moor).")
    var standin: String?

    @Flag(help: "Log every command moor runs, with its exit status and time, on stderr.")
    var debug = false

    func run() async throws {
        let executable = try standin ?? DemoScript.findStandIn()
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("moor-demo-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer {
            if keep { Console.err("moor: kept the demo directory \(scratch)") } else { try? FileManager.default.removeItem(atPath: scratch) }
        }
        try await DemoScript(scratch: scratch, standIn: executable, debug: debug).run()
    }
}
