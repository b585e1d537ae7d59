import ArgumentParser
import Foundation
import MoorSystem
import MoorCore
import MoorEngine
import MoorProbe

/// `moor kubeconfig`: a working, verified kubeconfig for this workstation.
struct KubeconfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kubeconfig",
        abstract: "Fetch the cluster's CA and client certificate, write remoteAccess.path, and verify it authenticates.")

    @OptionGroup var options: GlobalOptions

    @Flag(help: "Embed the certificates and key as -data fields instead of files beside the kubeconfig.")
    var embed = false

    @Flag(help: "Also add or update the context in ~/.kube/config (or $KUBECONFIG's first file), keeping a backup.")
    var merge = false

    @Flag(help: "Skip the TLS and authentication check against remoteAccess.server.")
    var noVerify = false

    @Flag(help: "Print only the line that sets KUBECONFIG for your shell on stdout (the report goes to stderr).")
    var printEnv = false

    @OptionGroup var writer: WriterOptions

    func run() async throws {
        let path = options.labPath()
        let lab = try LabFileReader.load(path, cluster: options.cluster)
        let context = try LiveContext.make(options)
        let lock = try await ClusterLock.take(lab, command: "kubeconfig", options: writer, context: context)
        defer { lock.release() }
        let environment = context.environment
        let kubeconfigOptions = KubeconfigOptions(embed: embed, merge: merge, verify: !noVerify,
                                                  kubeconfigVariable: environment["KUBECONFIG"], home: context.home)
        let report = try await context.journal.withRun(command: "kubeconfig", labFile: path) { run in
            let report = try await KubeconfigInstaller(lab: lab, context: context).install(kubeconfigOptions, labPath: path)
            run.conclude(report.verify?.ok ?? true ? .ok : .failed, detail: "\(report.path)\(report.changed ? " written" : " unchanged")")
            return report
        }
        let export = Self.exportLine(report.path, shell: environment["SHELL"] ?? "")
        switch options.output {
        case .json:
            // One document: with --print-env the export line is a field of it.
            var document = report
            if printEnv { document.export = export }
            try Console.json(document)
        case .text:
            let text = Self.render(report)
            if printEnv { Console.err(text) } else { Console.out(text) }
            if printEnv { Console.out(export) }
        }
        if let verification = report.verify, !verification.ok {
            throw MoorError(.didNotTake, "the kubeconfig was written but does not work yet (step \(verification.step ?? "?")): \(verification.message ?? "")")
        }
    }

    static func render(_ report: KubeconfigReport) -> String {
        var lines: [String] = []
        let written = report.files.filter(\.changed).map(\.path)
        lines.append(written.isEmpty ? "unchanged: \(report.path)" : "wrote \(written.joined(separator: ", ")) (0600, directory 0700)")
        if let merged = report.merged {
            lines.append(merged.changed ? "merged context \(report.context) into \(merged.path)\(report.backup.map { " (backup \($0))" } ?? "")"
                                        : "unchanged: context \(report.context) in \(merged.path)")
        }
        if let verify = report.verify {
            lines.append(verify.ok ? "verified: TLS to \(report.server) and an authenticated GET /version\(verify.version.map { " (\($0))" } ?? "")"
                                   : "verify failed at \(verify.step ?? "?"): \(verify.message ?? "")")
        }
        return lines.joined(separator: "\n")
    }

    /// `export KUBECONFIG=…` (POSIX shells) or `set -gx KUBECONFIG …` (fish).
    static func exportLine(_ path: String, shell: String) -> String {
        shell.hasSuffix("fish") ? "set -gx KUBECONFIG \(ShellQuote.quote(path))" : "export KUBECONFIG=\(ShellQuote.quote(path))"
    }
}
