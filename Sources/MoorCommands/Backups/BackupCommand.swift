import ArgumentParser
import Foundation
import MoorCore
import MoorEngine

/// `moor backup`: back up every cluster's volumes now (or `--cluster NAME`'s), verified.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Back up the clusters' volumes now: streamed from the node, verified file by file, pruned to backups.keep.")

    @OptionGroup var options: GlobalOptions

    func run() async throws {
        let path = options.labPath()
        let lab = try LabFileReader.load(path, cluster: options.cluster)
        guard !lab.clusters.isEmpty else { throw MoorError(.invalidInput, "\(path) has no cluster to back up") }
        var context = try LiveContext.make(options)
        context.restore = .none
        let engine = BackupEngine(lab: lab, labPath: path, context: context)
        var records: [BackupRecord] = []
        var failures: [MoorError] = []
        try await context.journal.withRun(command: "backup", labFile: path) { run in
            for cluster in lab.clusters {
                do {
                    records.append(try await engine.backup(cluster, run: run))
                } catch let error as MoorError where error.code != .interrupted && lab.clusters.count > 1 {
                    Console.err("moor: \(error.message)")
                    failures.append(error)
                }
            }
            if !failures.isEmpty { run.conclude(.failed, detail: failures.map(\.message).joined(separator: "; ")) }
        }
        switch options.output {
        case .json: try Console.json(BackupsCommand.Listing(records))
        case .text: Console.out(BackupsCommand.table(records, now: context.clock.date))
        }
        if let first = failures.first { throw first }
    }
}

/// `moor backups`: the backups kept, newest first; `moor backups verify ID` reads one back.
struct BackupsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backups",
        abstract: "List the backups kept (newest first), or check one again with `verify ID`.",
        subcommands: [List.self, Verify.self, Restore.self], defaultSubcommand: List.self)

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the backups kept, newest first.")

        @OptionGroup var options: GlobalOptions

        @Flag(help: "Also list attempts that failed (nothing of them is kept).")
        var failed = false

        func run() async throws {
            let context = try LiveContext.make(options)
            let records = try BackupEngine(lab: LabFile(), labPath: options.labPath(), context: context)
                .list(cluster: options.cluster, includeFailed: failed)
            switch options.output {
            case .json: try Console.json(Listing(records))
            case .text: Console.out(records.isEmpty ? "no backups yet; `moor backup` takes one" : table(records, now: context.clock.date))
            }
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Read a backup back: every archive against the manifest the node computed. Exit 1 naming the first file that differs.")

        @OptionGroup var options: GlobalOptions

        @Argument(help: "The backup's id (see `moor backups`).")
        var id: String

        func run() async throws {
            let context = try LiveContext.make(options)
            let record = try BackupEngine(lab: LabFile(), labPath: options.labPath(), context: context).verify(id)
            switch options.output {
            case .json: try Console.json(Listing([record]))
            case .text: Console.out("backup \(record.id): \(record.claims.reduce(0) { $0 + $1.files }) file(s) in \(record.claims.count) claim(s) match their manifests")
            }
        }
    }

    struct Restore: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Put a backup's claims back on its running cluster (stop their apps first): each directory replaced, the old one kept beside it, checked file by file; then its databases.")

        @OptionGroup var options: GlobalOptions

        @Argument(help: "The backup's id (see `moor backups`).")
        var id: String

        @Argument(help: "Only these claims (namespace/name); default every claim of the backup.")
        var claims: [String] = []

        @Option(help: "How long to wait for a PostgreSQL primary to be Ready, e.g. 5m.")
        var timeout = "5m"

        @OptionGroup var writer: WriterOptions

        func validate() throws {
            for claim in claims where ClaimName(claim) == nil { throw ValidationError("\(claim) is not a claim as namespace/name") }
            guard Units.milliseconds(timeout) != nil else { throw ValidationError("--timeout takes a duration such as 5m") }
        }

        func run() async throws {
            let path = options.labPath()
            let lab = try LabFileReader.load(path, cluster: nil)
            let context = try LiveContext.make(options)
            let lock = try await ClusterLock.take(lab, command: "backups restore", options: writer, context: context)
            defer { lock.release() }
            let lines = try await context.journal.withRun(command: "backups restore", labFile: path) { run in
                let lines = try await BackupEngine(lab: lab, labPath: path, context: context)
                    .restore(id, claims: claims.compactMap(ClaimName.init), timeout: .milliseconds(Units.milliseconds(timeout) ?? 300_000))
                try run.record("backup:\(id)", action: "restore", summary: lines.joined(separator: "; "))
                return lines
            }
            switch options.output {
            case .json:
                struct Report: Encodable { var backup: String; var restored: [String] }
                try Console.json(Report(backup: id, restored: lines))
            case .text: Console.out(lines.joined(separator: "\n"))
            }
        }
    }

    /// `{"backups": [{"id", "cluster", "createdAt", "bytes", "claims", "kind", "verified"}]}`.
    struct Listing: Encodable {
        struct Claim: Encodable {
            var claim: String
            var kind: String
            var bytes: Int
            var files: Int
            var path: String
        }

        struct Dump: Encodable {
            var cluster: String
            var pod: String
            var databases: [String]
            var bytes: Int
        }

        struct Entry: Encodable {
            var id: String
            var cluster: String
            var createdAt: String
            var bytes: Int
            var claims: [Claim]
            var kind: String
            var verified: Bool
            var seconds: Double
            var directory: String
            var databases: [Dump]?
            var error: String?
        }

        var backups: [Entry]

        init(_ records: [BackupRecord]) {
            let formatter = ISO8601DateFormatter()
            backups = records.map { record in
                Entry(id: record.id, cluster: record.cluster, createdAt: formatter.string(from: record.createdAt), bytes: record.bytes,
                      claims: record.claims.map { Claim(claim: $0.volume.claim.description, kind: $0.kind.rawValue, bytes: $0.bytes, files: $0.files, path: $0.volume.path) },
                      kind: record.kind, verified: record.verified, seconds: (record.seconds * 10).rounded() / 10,
                      directory: record.directory,
                      databases: record.dumps?.map { Dump(cluster: $0.cluster.description, pod: $0.pod, databases: $0.databases.map(\.name), bytes: $0.bytes) },
                      error: record.error)
            }
        }
    }

    static func table(_ records: [BackupRecord], now: Date) -> String {
        Table.render(header: ["ID", "CLUSTER", "AGE", "SIZE", "CLAIMS", "KIND", "VERIFIED"], rows: records.map { record in
            [record.id, record.cluster, BackupRecord.age(now.timeIntervalSince(record.createdAt)), BackupRecord.size(record.bytes),
             record.claims.isEmpty ? "-" : record.claims.map(\.volume.claim.description).joined(separator: ", "), record.kind,
             record.verified ? "✓ yes" : "✗ no: \(record.error ?? "?")"]
        })
    }
}
