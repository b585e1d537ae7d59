import MoorCore
import MoorSystem

/// `cluster`: the minikube profile, created with exactly the lab file's settings, started
/// when stopped, recreated (only with `--allow-recreate`) when a creation-time setting or a
/// certificate name differs.
struct ClusterKind: ResourceKind {
    let spec: ClusterSpec
    var kind: String { "cluster" }
    var scope: String? { spec.label }
    var unattended: Bool { true }

    func observe(_ session: ObservationSession) async throws -> ObservedCluster {
        var observed = try await session.cluster(spec)
        if observed.state == .running || observed.state == .error {
            observed.certificateNames = try await session.certificateNames(spec)
        }
        if ClusterDiff.needsDocker(spec, observed, change: ClusterDiff.change(spec, observed)) {
            do {
                observed.dockerMemoryMiB = try await session.dockerMemoryMiB(spec)
            } catch let error as MoorError where error.code == .refused {
                observed.dockerProblem = error.message
            } catch let error as MoorError where error.code != .interrupted {
                observed.dockerProblem = "docker cannot tell its memory: \(error.message)"
            }
        }
        return observed
    }

    func diff(_ observed: ObservedCluster, upstream: UpstreamChanges) -> KindPlan {
        ClusterDiff.diff(spec, observed)
    }

    func apply(_ changes: [Change], observed: ObservedCluster, context apply: ApplyContext) async throws {
        guard let change = changes.first else { return }
        if change.action == .recreate && !apply.options.allowRecreate {
            let fields = change.fields.keys.sorted().map { key in
                "\(key) (\(change.fields[key]?.from ?? "?") → \(change.fields[key]?.to ?? "?"))"
            }.joined(separator: ", ")
            throw MoorError(.refused, "cluster `\(spec.name)` must be recreated to change \(fields); `moor migrate` does it and keeps the volumes (`moor up --allow-recreate` deletes the cluster and every volume in it)")
        }
        if ClusterDiff.needsDocker(spec, observed, change: change) {
            if let problem = observed.dockerProblem { throw MoorError(.refused, problem) }
            if let problem = ClusterDiff.preflightProblems(spec, observed, change: change).first { throw MoorError(.refused, problem) }
        }
        let (runner, label) = apply.session.clusterHost(spec)
        let progress = apply.context.progress
        switch change.action {
        case .create:
            try VolumesKind.markPending(spec, apply)
            progress.note("creating cluster \(spec.name) (minikube start; this takes a few minutes)")
            _ = try await runner.output(Minikube.start(spec), host: label)
        case .start where observed.state == .paused:
            progress.note("unpausing cluster \(spec.name)")
            _ = try await runner.output(Minikube.unpause(profile: spec.name), host: label)
        case .start:
            progress.note("starting cluster \(spec.name)")
            _ = try await runner.output(Minikube.restart(profile: spec.name), host: label)
        case .recreate:
            progress.note("deleting cluster \(spec.name) to recreate it: its volumes go with it (`moor migrate` keeps them)")
            _ = try await runner.output(Minikube.delete(profile: spec.name), host: label)
            progress.note("creating cluster \(spec.name) (minikube start; this takes a few minutes)")
            _ = try await runner.output(Minikube.start(spec), host: label)
        case .update, .remove, .managedElsewhere:
            break
        }
    }

    func notTaken(_ change: Change, remaining: Change, now: ObservedCluster) -> String {
        if now.state != .running {
            return "cluster `\(spec.name)` is \(now.state.rawValue) after `minikube start`; see `minikube logs -p \(spec.name)`"
        }
        return "cluster `\(spec.name)` still differs after `minikube start`: \(remaining.summary); see `minikube profile list`"
    }
}
