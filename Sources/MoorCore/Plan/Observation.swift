/// What observe found, read-only. A nil field was not looked at or could not be known
/// (the node is not running, say); the planner treats it as "to be set".
public struct Observation: Sendable, Equatable {
    public var cluster: ObservedCluster
    /// The host port docker publishes the API server on.
    public var apiHostPort: Int?
    /// The tailscale serve configuration on the exposing host.
    public var serve: ServeConfig?
    /// hosts.toml files in the node, by path.
    public var mirrorFiles: [String: String]?
    /// The node's dockerd storage driver (docker runtime only).
    public var nodeStorageDriver: String?
    /// Docker's total memory in MiB on the cluster host, when preflight looked.
    public var dockerMemoryMiB: Int?
    /// The DNS and IP names in the API server's certificate, read from the node.
    public var apiServerCertificateNames: [String]?
    /// ArgoCD Applications in `gitops.argocd.namespace`, when the lab file has gitops.
    public var applications: [Application]?
    /// The Secret objects the templates make, each with whether it exists.
    public var secretObjects: [SecretObjectState]?
    /// What could not be observed (the cluster's API unreachable from here, say).
    public var notes: [String] = []

    public init(cluster: ObservedCluster, apiHostPort: Int? = nil, serve: ServeConfig? = nil,
                mirrorFiles: [String: String]? = nil, nodeStorageDriver: String? = nil, dockerMemoryMiB: Int? = nil) {
        self.cluster = cluster
        self.apiHostPort = apiHostPort
        self.serve = serve
        self.mirrorFiles = mirrorFiles
        self.nodeStorageDriver = nodeStorageDriver
        self.dockerMemoryMiB = dockerMemoryMiB
    }
}

public struct ObservedCluster: Sendable, Equatable {
    public var name: String
    public var state: ClusterState
    public var config: MinikubeProfiles.ProfileConfig?

    public init(name: String, state: ClusterState, config: MinikubeProfiles.ProfileConfig? = nil) {
        self.name = name
        self.state = state
        self.config = config
    }
}

/// A Secret a template makes, and whether the cluster has it.
public struct SecretObjectState: Sendable, Equatable {
    public var template: String
    public var object: SecretManifests.Object
    public var present: Bool

    public init(template: String, object: SecretManifests.Object, present: Bool) {
        self.template = template
        self.object = object
        self.present = present
    }
}
