/// What observe found about the cluster: the profile, the names in the API server
/// certificate the node serves, and (when the cluster must be created or started) Docker's
/// memory or why Docker did not answer.
/// What watch and status read of any provider's cluster observation.
public protocol ClusterHealth: Sendable {
    /// The node (or host service) runs.
    var nodeUp: Bool { get }
    /// The API server answers.
    var apiServerUp: Bool { get }
}

public struct ObservedCluster: Sendable, Equatable, ClusterHealth {
    public var nodeUp: Bool { state == .running || state == .error }
    public var apiServerUp: Bool { state == .running }

    public var name: String
    public var state: ClusterState
    public var config: MinikubeProfiles.ProfileConfig?
    /// The DNS and IP names in the API server's certificate, read from the node.
    public var certificateNames: [String]?
    /// Docker's total memory in MiB on the cluster host, when preflight looked.
    public var dockerMemoryMiB: Int?
    /// Why Docker could not tell its memory (not running, say), when preflight looked.
    public var dockerProblem: String?

    public init(name: String, state: ClusterState, config: MinikubeProfiles.ProfileConfig? = nil,
                certificateNames: [String]? = nil, dockerMemoryMiB: Int? = nil, dockerProblem: String? = nil) {
        self.name = name
        self.state = state
        self.config = config
        self.certificateNames = certificateNames
        self.dockerMemoryMiB = dockerMemoryMiB
        self.dockerProblem = dockerProblem
    }
}

/// The pure diff of the `cluster` resource. Settings minikube fixes at creation are a
/// `recreate`; a stopped cluster is a `start`.
public enum ClusterDiff {
    /// Docker Desktop needs about this much beyond the cluster's own memory.
    public static let dockerHeadroomMiB = 1024

    public static func diff(_ spec: ClusterSpec, _ observed: ObservedCluster) -> KindPlan {
        var plan = KindPlan()
        let change = change(spec, observed)
        plan.add(change, or: .cluster(spec.label))
        plan.warnings = preflightProblems(spec, observed, change: change)
        if let problem = observed.dockerProblem, change != nil { plan.warnings.insert(problem, at: 0) }
        if observed.state == .error {
            plan.warnings.append("cluster `\(spec.name)` is up but its API server or kubelet is not running; see `minikube status -p \(spec.name)`")
        }
        return plan
    }

    public static func change(_ spec: ClusterSpec, _ observed: ObservedCluster) -> Change? {
        settings(spec, observed) ?? certificateNames(spec, observed)
    }

    static func settings(_ spec: ClusterSpec, _ observed: ObservedCluster) -> Change? {
        if observed.state == .absent {
            return Change(.cluster(spec.label), action: .create, summary: "create the \(spec.driver) cluster `\(spec.name)`",
                          fields: ClusterSettings.desired(spec).mapValues { FieldChange(from: nil, to: $0) })
        }
        if let config = observed.config {
            let differences = ClusterSettings.differences(spec, config)
            if !differences.isEmpty {
                let names = differences.keys.sorted().joined(separator: ", ")
                return Change(.cluster(spec.label), action: .recreate,
                              summary: "recreate cluster `\(spec.name)`: \(names) can only be set when it is created",
                              fields: differences)
            }
        }
        switch observed.state {
        case .stopped:
            return Change(.cluster(spec.label), action: .start, summary: "start the stopped cluster `\(spec.name)`",
                          fields: ["state": FieldChange(from: "stopped", to: "running")])
        case .paused:
            return Change(.cluster(spec.label), action: .start, summary: "unpause cluster `\(spec.name)`",
                          fields: ["state": FieldChange(from: "paused", to: "running")])
        case .running, .error, .absent:
            return nil
        }
    }

    /// minikube fixes the API server certificate's names at creation (and the docker driver
    /// has dropped extra names before), so a name missing from the served certificate means
    /// recreating the cluster.
    static func certificateNames(_ spec: ClusterSpec, _ observed: ObservedCluster) -> Change? {
        guard observed.state == .running, let names = observed.certificateNames else { return nil }
        let missing = spec.apiServer.names.filter { !names.contains($0) }
        guard !missing.isEmpty else { return nil }
        return Change(.cluster(spec.label), action: .recreate,
                      summary: "recreate cluster `\(spec.name)`: its API server certificate lacks \(missing.joined(separator: ", ")), and minikube sets certificate names only when it creates a cluster",
                      fields: ["apiServer.certificate": FieldChange(from: names.joined(separator: ","), to: spec.apiServer.names.joined(separator: ","))])
    }

    /// Whether applying `change` starts a cluster through Docker, so Docker must answer and
    /// have room (an unpause needs neither).
    public static func needsDocker(_ spec: ClusterSpec, _ observed: ObservedCluster, change: Change?) -> Bool {
        guard let change, spec.driver == .docker else { return false }
        return !(change.action == .start && observed.state == .paused)
    }

    /// Problems that make creating or starting the cluster fail; `up` refuses on these.
    public static func preflightProblems(_ spec: ClusterSpec, _ observed: ObservedCluster, change: Change?) -> [String] {
        guard needsDocker(spec, observed, change: change), let memory = spec.memoryMiB,
              let available = observed.dockerMemoryMiB else { return [] }
        if memory + dockerHeadroomMiB > available {
            return ["cluster.memory \(memory) MiB does not fit: Docker has \(available) MiB and needs about \(dockerHeadroomMiB) MiB for itself; raise Docker's memory or lower cluster.memory"]
        }
        return []
    }
}
