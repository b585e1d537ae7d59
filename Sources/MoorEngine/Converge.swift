import Foundation
import MoorCore
import MoorJournal
import MoorSystem

/// The JSON of `moor up`.
public struct UpReport: Sendable, Equatable, Encodable {
    public var applied: [Change]
    public var unchanged: [String]
    public var warnings: [String]
}

extension Engine {
    /// Makes the lab file true. A second run with nothing changed starts only the observe
    /// commands and applies nothing.
    public func up(allowRecreate: Bool) async throws -> UpReport {
        let run = try context.journal.beginRun(command: "up", labFile: labPath)
        do {
            let report = try await converge(run: run, allowRecreate: allowRecreate)
            try context.journal.finishRun(run, outcome: report.applied.isEmpty ? "in sync" : "ok",
                                          detail: "\(report.applied.count) change(s) applied")
            return report
        } catch {
            try? context.journal.finishRun(run, outcome: "failed", detail: String(describing: error))
            throw error
        }
    }

    func converge(run: Int64, allowRecreate: Bool) async throws -> UpReport {
        var observation = try await observe()
        var plan = Planner.plan(lab, observation)
        let unchanged = plan.unchanged
        var applied: [Change] = []
        guard let observer = try? observer() else {
            applied += try await applyGitOps(plan, run: run, applications: observation.applications)
            return UpReport(applied: applied, unchanged: unchanged.filter { name in !applied.contains { $0.resource == name } }, warnings: plan.warnings)
        }
        if let change = plan.change(for: ResourceName.cluster) {
            try await applyCluster(change, observer: observer, observation: observation, allowRecreate: allowRecreate)
            try record(change, run: run, before: Self.text(change.fields.compactMapValues(\.from)),
                       after: Self.text(change.fields.mapValues(\.to)))
            applied.append(change)
            observation = try await observe()
            guard observation.cluster.state == .running else {
                throw EngineError(.didNotTake, "cluster `\(observer.spec.name)` is \(observation.cluster.state.rawValue) after `minikube start`; see `minikube logs -p \(observer.spec.name)`")
            }
            plan = Planner.plan(lab, observation)
        }
        applied += try await applyMirrors(plan, observer: observer, observation: observation, run: run)
        try await runFollowUps(observer: observer)
        if let expose = lab.expose?.tailscale, let change = plan.change(for: ResourceName.expose(expose)) {
            try await applyExpose(change, expose, observer: observer, hostPort: observation.apiHostPort)
            try record(change, run: run, before: change.fields["target"]?.from, after: change.fields["target"]?.to)
            applied.append(change)
        }
        applied += try await applyGitOps(plan, run: run, applications: observation.applications)
        return UpReport(applied: applied, unchanged: unchanged.filter { name in !applied.contains { $0.resource == name } },
                        warnings: plan.warnings)
    }

    func applyCluster(_ change: Change, observer: Observer, observation: Observation, allowRecreate: Bool) async throws {
        let spec = observer.spec
        if change.action == .recreate && !allowRecreate {
            let fields = change.fields.keys.sorted().map { key in
                "\(key) (\(change.fields[key]?.from ?? "?") → \(change.fields[key]?.to ?? "?"))"
            }.joined(separator: ", ")
            throw EngineError(.refused, "cluster `\(spec.name)` must be recreated to change \(fields); this deletes the cluster and everything in it: rerun with --allow-recreate")
        }
        let (runner, label) = observer.clusterHost
        if spec.driver == "docker" && !(change.action == .start && observation.cluster.state == .paused) {
            var checked = observation
            checked.dockerMemoryMiB = try await observer.dockerMemoryMiB()
            if let problem = Planner.preflightProblems(spec, checked, clusterChange: change).first {
                throw EngineError(.preflight, problem)
            }
        }
        switch change.action {
        case .create:
            context.progress.note("creating cluster \(spec.name) (minikube start; this takes a few minutes)")
            _ = try await runner.output(Minikube.start(spec), host: label)
        case .start where observation.cluster.state == .paused:
            context.progress.note("unpausing cluster \(spec.name)")
            _ = try await runner.output(Minikube.unpause(profile: spec.name), host: label)
        case .start:
            context.progress.note("starting cluster \(spec.name)")
            _ = try await runner.output(Minikube.restart(profile: spec.name), host: label)
        case .recreate:
            context.progress.note("deleting cluster \(spec.name) to recreate it")
            _ = try await runner.output(Minikube.delete(profile: spec.name), host: label)
            context.progress.note("creating cluster \(spec.name) (minikube start; this takes a few minutes)")
            _ = try await runner.output(Minikube.start(spec), host: label)
        case .update:
            break
        }
    }

    func applyMirrors(_ plan: Plan, observer: Observer, observation: Observation, run: Int64) async throws -> [Change] {
        let spec = observer.spec
        let changes = plan.changes.filter { $0.resource.hasPrefix("mirror:") }
        guard !changes.isEmpty else { return [] }
        let (runner, label) = observer.clusterHost
        let runtime = spec.containerRuntime ?? observation.cluster.config?.containerRuntime ?? "docker"
        if runtime == "containerd" {
            // Recorded before the files change: if this run dies half-way, the next one restarts.
            _ = try context.journal.addFollowUp(run: run, kind: FollowUpKind.restartContainerd, resource: ResourceName.cluster,
                                                detail: "containerd in node \(spec.name) reloads registry hosts")
        }
        for change in changes {
            guard let mirror = spec.registryMirrors.first(where: { ResourceName.mirror($0.registry) == change.resource }) else { continue }
            let path = HostsToml.path(for: mirror.registry)
            let content = HostsToml.render(mirror)
            context.progress.note("writing \(path)")
            _ = try await runner.output(Minikube.ssh(profile: spec.name, NodeCommands.writeFile(path), stdin: Array(content.utf8)), host: label)
            try record(change, run: run, before: observation.mirrorFiles?[path], after: content)
        }
        let files = try await observer.mirrorFiles()
        for change in changes {
            guard let mirror = spec.registryMirrors.first(where: { ResourceName.mirror($0.registry) == change.resource }) else { continue }
            let path = HostsToml.path(for: mirror.registry)
            guard let written = files[path], HostsToml.isEquivalent(written, to: mirror) else {
                throw EngineError(.didNotTake, "\(path) in node \(spec.name) does not hold what moor wrote; run `minikube ssh -p \(spec.name) -- cat \(path)`")
            }
        }
        return changes
    }

    func runFollowUps(observer: Observer) async throws {
        let (runner, label) = observer.clusterHost
        for followUp in try context.journal.pendingFollowUps() where followUp.kind == FollowUpKind.restartContainerd {
            context.progress.note("restarting containerd in node \(observer.spec.name) (\(followUp.detail))")
            _ = try await runner.output(Minikube.ssh(profile: observer.spec.name, NodeCommands.restartContainerd()), host: label)
            try context.journal.completeFollowUp(followUp.id)
        }
    }

    func applyExpose(_ change: Change, _ expose: TailscaleExpose, observer: Observer, hostPort: Int?) async throws {
        guard let hostPort else {
            throw EngineError(.didNotTake, "could not find the API server's host port for cluster `\(observer.spec.name)`; run `docker port \(observer.spec.name)`")
        }
        let (runner, label) = HostRunners(lab: lab, context: context).runner(for: expose.host ?? observer.spec.host)
        let target = ServeTarget.desired(hostPort: hostPort)
        context.progress.note(change.summary)
        _ = try await runner.output(Tailscale.serveTCP(service: expose.service, port: expose.port, target: target), host: label)
        let after = try await observer.observeServe()
        let now = after?.tcpForward(service: expose.service, port: expose.port)
        guard ServeTarget.matches(now, hostPort: hostPort) else {
            throw EngineError(.didNotTake, "tailscale serve did not take the new port \(hostPort) (still \(now ?? "unset")); run 'tailscale serve status --json'\(label.map { " on \($0)" } ?? "")")
        }
    }

    /// Apps off the lab file's revision are retargeted and synced (and waited on); templates
    /// whose Secrets are missing are applied.
    func applyGitOps(_ plan: Plan, run: Int64, applications: [Application]?) async throws -> [Change] {
        var applied: [Change] = []
        let appChanges = plan.changes.filter { $0.resource.hasPrefix("app:") }
        if !appChanges.isEmpty {
            let apps = try AppsEngine(lab: lab, labPath: labPath, context: context)
            let names = appChanges.map { String($0.resource.dropFirst("app:".count)) }
            _ = try await apps.retarget(to: nil, selection: .names(names), known: applications)
            let report = try await apps.sync(.names(names), timeout: .seconds(600))
            guard report.ok else {
                let failed = report.apps.filter { $0.result != "synced" }.map { "\($0.name): \($0.detail)" }.joined(separator: "; ")
                throw EngineError(.didNotTake, "apps were retargeted but did not all sync: \(failed); see `moor apps`")
            }
            for change in appChanges { try record(change, run: run, before: change.fields["targetRevision"]?.from, after: change.fields["targetRevision"]?.to) }
            applied += appChanges
        }
        let secretChanges = plan.changes.filter { $0.resource.hasPrefix("secret:") }
        if !secretChanges.isEmpty {
            var templates: [String] = []
            for change in secretChanges {
                if let template = change.fields["template"]?.to, !templates.contains(template) { templates.append(template) }
            }
            _ = try await SecretsEngine(lab: lab, labPath: labPath, context: context).apply(only: templates)
            for change in secretChanges { try record(change, run: run, before: nil, after: nil) }
            applied += secretChanges
        }
        return applied
    }

    /// `{"cpus":"6",…}` for the journal: sorted, so runs compare.
    static func text(_ fields: [String: String]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(fields)).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }

    func record(_ change: Change, run: Int64, before: String?, after: String?) throws {
        try context.journal.record(ChangeRecord(runID: run, resource: change.resource, action: change.action.rawValue,
                                                summary: change.summary, before: before, after: after))
    }
}

/// Follow-up kinds kept in the journal.
public enum FollowUpKind {
    public static let restartContainerd = "restart-containerd"
}
