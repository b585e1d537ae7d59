import MoorCore
import MoorSystem

/// What a diagnosis needs before it can look. A diagnosis whose prerequisite is missing is
/// `skipped` with the reason (and the way to get it), never a `fail` that blames another
/// layer: no kube context is not a DNS problem, a stopped cluster is not a NAS export rule.
public enum Prerequisite: Sendable, Hashable {
    /// The lab's kubectl context is known and this machine's kubeconfig has it.
    case kubeContext
    /// The lab's cluster runs (when the lab has one).
    case runningCluster
}

extension ObservationSession {
    /// Why `prerequisite` does not hold, or nil when it does; read once a session.
    func missing(_ prerequisite: Prerequisite) async -> String? {
        switch prerequisite {
        case .kubeContext: return await kubeContextProblem()
        case .runningCluster: return await stoppedClusterProblem()
        }
    }

    func kubeContextProblem() async -> String? {
        guard let name = lab.kubectlContext else { return LabFile.noKubectlContext }
        do {
            let names = try await fact(FactKey(.kubectlContexts, host: nil)) { [context] in
                try await context.runner.output(Command("kubectl", ["config", "get-contexts", "-o", "name"], timeout: .seconds(20)))
                    .split(separator: "\n").map(String.init)
            }
            guard names.contains(name) else {
                return "this machine's kubeconfig has no context `\(name)`; run `moor kubeconfig --merge` (or set `kubeContext`)"
            }
            return nil
        } catch let error as MoorError where error.code == .toolMissing {
            return "kubectl is not installed here; install it to run the pod diagnoses"
        } catch {
            return "cannot list this machine's kube contexts: \(MoorError.from(error).message)"
        }
    }

    func stoppedClusterProblem() async -> String? {
        guard let spec = lab.cluster else { return nil }
        do {
            return try await ClusterProviders.provider(for: spec).notRunning(self)
        } catch {
            return "cannot tell whether the cluster `\(spec.name)` runs: \(MoorError.from(error).message)"
        }
    }
}
