import ArgumentParser
import Foundation
import MoorCore
import MoorEngine

/// `moor apps`: ArgoCD Applications — list, retarget, sync.
struct AppsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apps",
        abstract: "ArgoCD Applications: which are off the lab file's revision, retarget them, sync and wait.",
        subcommands: [AppsList.self, AppsRetarget.self, AppsSync.self],
        defaultSubcommand: AppsList.self)
}

/// Which apps a subcommand acts on.
struct AppSelection: ParsableArguments {
    @Option(help: "Comma-separated app names (default: gitops.argocd.apps).")
    var apps: String?

    @Flag(help: "Every Application in the namespace.")
    var all = false

    func validate() throws {
        if all && apps != nil { throw ValidationError("give --apps or --all, not both") }
    }

    var selection: AppsEngine.Selection {
        if all { return .all }
        if let apps { return .names(apps.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }) }
        return .lab
    }
}

struct AppsList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Every Application with sync, health and revisions; which are not on the lab file's revision.")

    @OptionGroup var options: GlobalOptions

    func run() async throws {
        let path = options.labPath()
        let lab = try LabFileReader.load(path)
        let engine = try AppsEngine(lab: lab, labPath: path, context: try LiveContext.make(options))
        let rows = engine.rows(try await engine.applications())
        switch options.output {
        case .json:
            struct Report: Encodable { var apps: [AppsEngine.Row] }
            try Console.json(Report(apps: rows))
        case .text:
            let several = lab.namesClusters
            let table = rows.map { row in
                [row.name, row.sync.description, row.health.description, row.targetRevision, row.syncedRevision ?? "-",
                 row.onTarget ? "yes" : "NO", row.parent ?? "-"] + (several ? [row.cluster ?? "-"] : [])
            }
            let off = rows.filter { !$0.onTarget }.map(\.name)
            let header = ["NAME", "SYNC", "HEALTH", "TARGET", "SYNCED", "ON \(engine.spec.revision.uppercased())", "PARENT"] + (several ? ["CLUSTER"] : [])
            Console.out(Table.render(header: header, rows: table)
                        + "\n" + (off.isEmpty ? "every app tracks \(engine.spec.revision)" : "not on \(engine.spec.revision): \(off.joined(separator: ", "))"))
        }
    }
}

struct AppsRetarget: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "retarget", abstract: "Point apps' git sources at a revision (default: gitops.argocd.revision); --back undoes the last retarget.")

    @OptionGroup var options: GlobalOptions
    @OptionGroup var which: AppSelection

    @Argument(help: "The branch, tag or commit to track.")
    var revision: String?

    @Flag(help: "Restore the revisions the last retarget replaced.")
    var back = false

    @Flag(help: "Then sync the retargeted apps and wait, as `moor apps sync` does: one command for the seed's post-merge steps.")
    var sync = false

    @Option(help: "With --sync: how long to wait.")
    var timeout = "300s"

    @OptionGroup var writer: WriterOptions

    func validate() throws {
        if back && (revision != nil || which.apps != nil || which.all) { throw ValidationError("--back takes no revision or app selection") }
        guard Units.milliseconds(timeout) != nil else { throw ValidationError("--timeout takes a duration such as 300s") }
    }

    func run() async throws {
        let path = options.labPath()
        let lab = try LabFileReader.load(path)
        let context = try LiveContext.make(options)
        let engine = try AppsEngine(lab: lab, labPath: path, context: context)
        let lock = try await ClusterLock.take(lab, command: "apps retarget", options: writer, context: context)
        defer { lock.release() }
        let (report, synced) = try await context.journal.withRun(command: "apps retarget", labFile: path) { run in
            let report = back ? try await engine.retargetBack(run: run) : try await engine.retarget(to: revision, selection: which.selection, run: run)
            let moved = Array(Set(report.retargeted.map(\.name))).sorted()
            guard sync, !moved.isEmpty else { return (report, SyncReport?.none) }
            return (report, try await engine.sync(.names(moved), timeout: .milliseconds(Units.milliseconds(timeout) ?? 300_000)))
        }
        switch options.output {
        case .json:
            try Console.json(JSONWithField(base: report, key: "sync", value: synced, nullWhenAbsent: true))
        case .text:
            var lines = report.retargeted.map { "retargeted \($0.name)\($0.source.map { " (source \($0))" } ?? ""): \($0.from) → \($0.to)" }
            if !report.unchanged.isEmpty { lines.append("already on \(report.revision): \(report.unchanged.joined(separator: ", "))") }
            if !report.skipped.isEmpty { lines.append("Helm charts, not retargeted: \(report.skipped.joined(separator: ", "))") }
            lines += report.warnings.map { "warning: \($0)" }
            Console.out(lines.isEmpty ? "nothing to retarget" : lines.joined(separator: "\n"))
        }
        guard let synced else { return }
        if options.output == .text {
            Console.out(Table.render(header: ["NAME", "RESULT", "REVISION", "HEALTH", "DETAIL"],
                                     rows: synced.apps.map { [$0.name, $0.result, $0.revision ?? "-", $0.health, $0.detail] }))
        }
        if !synced.ok { throw MoorError(.didNotTake, synced.failureLine) }
    }
}

struct AppsSync: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sync", abstract: "Sync apps and wait until each is synced to the expected commit and Healthy.")

    @OptionGroup var options: GlobalOptions
    @OptionGroup var which: AppSelection

    @Option(help: "How long to wait, e.g. 300s or 10m.")
    var timeout = "300s"

    @Option(help: "Time between polls (one kubectl list each), e.g. 2s.")
    var interval = "2s"

    @Flag(help: "Keep waiting for the other apps after one fails.")
    var keepGoing = false

    @OptionGroup var writer: WriterOptions

    func validate() throws {
        guard Units.milliseconds(timeout) != nil else { throw ValidationError("--timeout takes a duration such as 300s") }
        guard let poll = Units.milliseconds(interval), poll > 0 else { throw ValidationError("--interval takes a duration such as 2s") }
    }

    func run() async throws {
        let path = options.labPath()
        let lab = try LabFileReader.load(path)
        let context = try LiveContext.make(options)
        var engine = try AppsEngine(lab: lab, labPath: path, context: context)
        let lock = try await ClusterLock.take(lab, command: "apps sync", options: writer, context: context)
        defer { lock.release() }
        engine.pollInterval = .milliseconds(Units.milliseconds(interval) ?? 2000)
        let report = try await engine.sync(which.selection, timeout: .milliseconds(Units.milliseconds(timeout) ?? 300_000), keepGoing: keepGoing)
        switch options.output {
        case .json: try Console.json(report)
        case .text:
            let rows = report.apps.map { [$0.name, $0.result, $0.revision ?? "-", $0.health, "\(Int($0.seconds))s", $0.detail] }
            Console.out((report.warnings.map { "warning: \($0)" } + [Table.render(header: ["NAME", "RESULT", "REVISION", "HEALTH", "TIME", "DETAIL"], rows: rows)])
                .joined(separator: "\n"))
        }
        if !report.ok { throw MoorError(.didNotTake, report.failureLine) }
    }
}
