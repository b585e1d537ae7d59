import MoorCore
import MoorSystem

/// `cni-conflict`: an active CNI config that sorts before kindnet's (a stale bridge config
/// regenerated after an unclean shutdown) gives new pods another network. Fix (safe): move it
/// aside as `.mk_disabled`, then restart every Deployment.
struct CNIConflict: DiagnosisKind {
    let lab: LabFile
    var id: String { "cni-conflict" }
    static let directory = "/etc/cni/net.d"
    /// One command: the listing, then each active config under a header.
    static let script = #"ls -la "$1"; for f in "$1"/*; do case "$f" in *.conf|*.conflist|*.json) printf '==> %s <==\n' "${f##*/}"; cat "$f";; esac; done"#

    func skipReason(_ lab: LabFile) -> String? { lab.cluster == nil ? "no `cluster` section" : nil }
    var prerequisites: [Prerequisite] { [.runningCluster] }

    func observe(_ session: ObservationSession) async throws -> CNIConfigs? {
        guard let spec = lab.cluster, try await session.cluster(spec).state == .running else { return nil }
        let (runner, label) = session.clusterHost(spec)
        let output = try await runner.output(Minikube.ssh(profile: spec.name, ["sudo", "sh", "-c", Self.script, "sh", Self.directory]), host: label)
        return CNIConfigs.parse(output)
    }

    func verdict(_ evidence: CNIConfigs?) -> DiagnosisResult {
        evidence?.verdict() ?? .skipped(id, "the cluster is not running")
    }

    func fix(_ evidence: CNIConfigs?, context apply: ApplyContext) async throws {
        guard let spec = lab.cluster, let evidence else { return }
        let (runner, label) = apply.session.clusterHost(spec)
        for name in evidence.shadowingKindnet {
            let path = Self.directory + "/" + name
            _ = try await runner.output(Minikube.ssh(profile: spec.name, ["sudo", "mv", path, path + ".mk_disabled"]), host: label)
            apply.context.progress.note("moved \(path) aside as \(name).mk_disabled")
        }
        let kube = KubeAccess(lab: lab, context: apply.context)
        for deployment in try await kube.names("deployments.apps") {
            _ = try await kube.output(["-n", deployment.namespace, "rollout", "restart", "deployment/\(deployment.name)"])
            apply.context.progress.note("restarted deployment \(deployment.namespace)/\(deployment.name)")
        }
        let others = try await kube.names("daemonsets.apps,statefulsets.apps")
        if !others.isEmpty {
            apply.context.progress.note("left alone (restart them if their pods misbehave): \(others.map { "\($0.kind) \($0.namespace)/\($0.name)" }.joined(separator: ", "))")
        }
    }
}

/// kubectl with the lab's context, for the diagnoses.
struct KubeAccess: Sendable {
    let lab: LabFile
    let context: MoorContext

    var kubeContext: String { get throws { try lab.requiredKubectlContext() } }

    func output(_ arguments: [String], timeout: Duration = .seconds(60)) async throws -> String {
        try await KubectlRun.output(Command("kubectl", KubectlGitOps.base(kubeContext) + arguments, timeout: timeout),
                                    runner: context.runner, context: kubeContext)
    }

    func run(_ arguments: [String], timeout: Duration = .seconds(90)) async throws -> CommandResult {
        try await context.runner.run(Command("kubectl", KubectlGitOps.base(kubeContext) + arguments, timeout: timeout))
    }

    struct Named: Sendable { var kind: String; var namespace: String; var name: String }

    /// Every object of these kinds in every namespace.
    func names(_ kinds: String) async throws -> [Named] {
        let text = try await output(["get", kinds, "--all-namespaces", "-o",
                                     #"jsonpath={range .items[*]}{.kind}{" "}{.metadata.namespace}{" "}{.metadata.name}{"\n"}{end}"#])
        return text.split(separator: "\n").compactMap { line in
            let parts = line.split(separator: " ").map(String.init)
            return parts.count == 3 ? Named(kind: parts[0], namespace: parts[1], name: parts[2]) : nil
        }
    }
}
