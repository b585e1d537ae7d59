import Foundation
import MoorCore
import MoorJournal
import MoorSystem

/// What `moor apps retarget` changed.
public struct RetargetReport: Sendable, Equatable, Encodable {
    public struct Item: Sendable, Equatable, Encodable {
        public var name: String
        public var from: String
        public var to: String
        /// `spec.sources` index for multi-source apps.
        public var source: Int?
    }

    public var revision: String
    public var retargeted: [Item]
    public var unchanged: [String]
    /// Helm-chart apps track chart versions, not branches.
    public var skipped: [String]
    public var warnings: [String]
}

extension AppsEngine {
    /// Points the selected apps' git sources at `revision` (the lab file's by default), one
    /// kubectl patch per app, remembering each previous revision in the run. `known` is a
    /// list just read (by `up`'s observation), so it is not read again. With `readBack`,
    /// one more list checks every patch took (`up` verifies through the engine instead).
    public func retarget(to revision: String?, selection: Selection, known: [Application]? = nil, run: RunHandle,
                         readBack: Bool = true) async throws -> RetargetReport {
        let revision = revision ?? spec.revision
        let apps: [Application]
        if let known { apps = known } else { apps = try await applications() }
        let selected = try select(selection, from: apps)
        var report = RetargetReport(revision: revision, retargeted: [], unchanged: [], skipped: [], warnings: [])
        var moved: [(Application, [(Application.Source, String)])] = []
        for app in selected {
            if app.isHelmOnly { report.skipped.append(app.name); continue }
            let moves = app.gitSources.filter { $0.targetRevision != revision }
            if moves.isEmpty { report.unchanged.append(app.name); continue }
            moved.append((app, moves.map { ($0, revision) }))
        }
        try await apply(moved, to: &report, run: run, readBack: readBack)
        report.warnings = parentWarnings(selected, retargeted: Set(report.retargeted.map(\.name)), all: apps)
        run.conclude(report.retargeted.isEmpty ? .inSync : .ok, detail: "\(report.retargeted.count) source(s) retargeted to \(revision)")
        return report
    }

    /// Restores the revisions the last retarget replaced.
    public func retargetBack(run: RunHandle) async throws -> RetargetReport {
        guard let last = try context.journal.runs(limit: 200).first(where: { $0.command == "apps retarget" && $0.changes > 0 && $0.id != run.id }) else {
            throw MoorError(.notFound, "no earlier `moor apps retarget` in the journal to go back from")
        }
        let changes = try context.journal.changes(run: last.id)
        let apps = try await applications()
        var report = RetargetReport(revision: "(previous)", retargeted: [], unchanged: [], skipped: [], warnings: [])
        var byApp: [String: [(Application.Source, String)]] = [:]
        for change in changes {
            let (name, index) = parse(change.resource)
            guard let app = apps.first(where: { $0.name == name }), let before = change.before,
                  let source = app.sources.first(where: { $0.index == index }) else { continue }
            byApp[name, default: []].append((source, before))
        }
        let moved = byApp.keys.sorted().compactMap { name in apps.first { $0.name == name }.map { ($0, byApp[name] ?? []) } }
        try await apply(moved, to: &report, run: run, readBack: true)
        run.conclude(.ok, detail: "back to the revisions before run \(last.id)")
        return report
    }

    /// Patches each app, journals each source's move, then (with `readBack`) lists once and
    /// names any app whose source does not hold the new revision.
    func apply(_ moved: [(Application, [(Application.Source, String)])], to report: inout RetargetReport, run: RunHandle,
               readBack: Bool) async throws {
        for (app, moves) in moved {
            try await patch(app, moves)
            for (source, revision) in moves {
                report.retargeted.append(.init(name: app.name, from: source.targetRevision, to: revision, source: source.index))
                try run.record(resource(app.name, source.index), action: "retarget",
                               summary: "\(app.name): \(source.targetRevision) → \(revision)", before: source.targetRevision, after: revision)
            }
        }
        guard readBack, !moved.isEmpty else { return }
        let now = try await applications()
        for (app, moves) in moved {
            for (source, revision) in moves {
                let current = now.first { $0.name == app.name }?.sources.first { $0.index == source.index }?.targetRevision
                if current != revision {
                    throw MoorError(.didNotTake, "kubectl patched \(app.name) but it still tracks \(current ?? "nothing") instead of \(revision); run `kubectl -n \(spec.namespace) get applications.argoproj.io \(app.name) -o yaml`")
                }
            }
        }
    }

    /// One patch per app: a merge patch for `spec.source`, a JSON patch for `spec.sources[i]`.
    func patch(_ app: Application, _ moves: [(Application.Source, String)]) async throws {
        let command: Command
        if moves.count == 1, moves[0].0.index == nil {
            let patch = try json(["spec": ["source": ["targetRevision": moves[0].1]]])
            command = try KubectlGitOps.patchApplication(context: kubeContext, namespace: spec.namespace, name: app.name, type: "merge", patch: patch)
        } else {
            let operations = moves.map { ["op": "replace", "path": "/spec/sources/\($0.0.index ?? 0)/targetRevision", "value": $0.1] }
            command = try KubectlGitOps.patchApplication(context: kubeContext, namespace: spec.namespace, name: app.name, type: "json",
                                                     patch: try json(operations))
        }
        _ = try await context.runner.output(command)
    }

    /// A child retargeted without its parent will be put back by the parent's self-heal.
    func parentWarnings(_ selected: [Application], retargeted: Set<String>, all: [Application]) -> [String] {
        selected.compactMap { app in
            guard retargeted.contains(app.name), let parent = app.parent, all.contains(where: { $0.name == parent }),
                  !retargeted.contains(parent), all.first(where: { $0.name == parent })?.isOnTarget(spec.revision) == false else { return nil }
            return "\(app.name) is managed by \(parent) (app of apps): \(parent)'s self-heal will put its old revision back; retarget \(parent) too"
        }
    }

    func resource(_ name: String, _ index: Int?) -> String { index.map { "app:\(name)#\($0)" } ?? "app:\(name)" }

    func parse(_ resource: String) -> (String, Int?) {
        let body = resource.dropFirst("app:".count)
        guard let hash = body.lastIndex(of: "#"), let index = Int(body[body.index(after: hash)...]) else { return (String(body), nil) }
        return (String(body[..<hash]), index)
    }

    func json(_ value: Any) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys]), as: UTF8.self)
    }
}
