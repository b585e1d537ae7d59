import MoorCore
import MoorEngine

/// Text renderings of plans, up reports and status.
enum PlanText {
    static func render(_ plan: Plan) -> String {
        var lines: [String] = []
        for change in plan.changes { lines += describe(change) }
        lines += plan.warnings.map { "warning: \($0)" }
        if plan.isEmpty {
            lines.append("in sync: \(plan.unchanged.count) resource(s), nothing to do")
        } else {
            lines.append("\(plan.changes.count) change(s) pending; run `moor up` to apply")
        }
        return lines.joined(separator: "\n")
    }

    static func render(_ report: UpReport) -> String {
        var lines: [String] = []
        for change in report.applied { lines += describe(change, verb: "applied") }
        lines += report.warnings.map { "warning: \($0)" }
        lines.append(report.applied.isEmpty
            ? "in sync: \(report.unchanged.count) resource(s), nothing to do"
            : "\(report.applied.count) change(s) applied, \(report.unchanged.count) unchanged")
        return lines.joined(separator: "\n")
    }

    static func describe(_ change: Change, verb: String? = nil) -> [String] {
        var lines = ["\(verb.map { "\($0) " } ?? "")\(change.action.rawValue) \(change.resource): \(change.summary)"]
        for key in change.fields.keys.sorted() {
            guard let field = change.fields[key] else { continue }
            lines.append("    \(key): \(field.from ?? "(none)") → \(field.to)")
        }
        return lines
    }

    static func render(_ status: StatusReport) -> String {
        var rows: [[String]] = []
        for cluster in status.clusters ?? [status.cluster] {
            let port = cluster.apiServer.hostPort.map(String.init) ?? "-"
            let how = cluster.provider == "k3s" ? "k3s" : "driver \(cluster.driver ?? "-")"
            rows.append(["cluster", cluster.id ?? cluster.name, "\(cluster.state.rawValue), \(how), API server host port \(port)"])
        }
        if let expose = status.expose {
            rows.append(["expose", expose.resource, "\(expose.target ?? "not set") (\(expose.inSync ? "in sync" : "out of sync"))"])
        }
        for mirror in status.mirrors {
            rows.append(["mirror", mirror.cluster.map { "\($0)/\(mirror.registry)" } ?? mirror.registry, mirror.inSync ? "in sync" : "out of sync"])
        }
        if let argo = status.argocd {
            let state = argo.installed ? "\(argo.version ?? "?"), \(argo.available ? "available" : "not available")" : "not installed"
            rows.append(["argocd", "argocd", "\(state); apps \(argo.apps.total), synced \(argo.apps.synced), healthy \(argo.apps.healthy)"])
        }
        return Table.render(header: ["RESOURCE", "NAME", "STATE"], rows: rows)
    }
}
