import MoorCore

/// One observation of the world: every fact a kind asks for is read once and shared, even
/// when several kinds ask at the same time (the profile list, the node's files). Applying a
/// change ends a session; the engine starts a new one to verify.
public final class ObservationSession: Sendable {
    public let lab: LabFile
    public let labPath: String
    public let context: MoorContext
    private let memo = Memo()

    public init(lab: LabFile, labPath: String, context: MoorContext) {
        self.lab = lab
        self.labPath = labPath
        self.context = context
    }

    /// The value of `key`, read by `make` the first time anyone asks in this session.
    public func fact<T: Sendable>(_ key: FactKey, _ make: @escaping @Sendable () async throws -> T) async throws -> T {
        let task = await memo.task(key) { try await make() }
        let value = try await withTaskCancellationHandler { try await task.value } onCancel: { task.cancel() }
        guard let typed = value as? T else { preconditionFailure("fact \(key) was read as \(type(of: value)), asked as \(T.self)") }
        return typed
    }

    /// The runner and label for a lab host.
    public var hosts: HostRunners { HostRunners(lab: lab, context: context) }
}

/// Which fact: what is read, on which host, about which cluster (the profile list is one
/// host's, shared by its clusters; a node's files are one cluster's).
public struct FactKey: Hashable, Sendable, CustomStringConvertible {
    public enum Fact: String, Sendable {
        case minikubeProfiles, nodeFiles, storageDriver, apiHostPort, serveStatus, dockerMemory, kubectlContexts
        case k3sVersion, k3sActive, k3sFiles, servingNames, sshAddress
    }

    public var fact: Fact
    /// The lab host's name; nil for this machine.
    public var host: String?
    /// moor's name of the cluster; nil for a fact of the host alone.
    public var cluster: String?

    public init(_ fact: Fact, host: String?, cluster: String? = nil) {
        self.fact = fact
        self.host = host
        self.cluster = cluster
    }

    public var description: String { "\(fact.rawValue) on \(host ?? "this machine")\(cluster.map { " for \($0)" } ?? "")" }
}

private actor Memo {
    var tasks: [FactKey: Task<any Sendable, any Error>] = [:]

    func task(_ key: FactKey, _ make: @escaping @Sendable () async throws -> any Sendable) -> Task<any Sendable, any Error> {
        if let task = tasks[key] { return task }
        let task = Task { try await make() }
        tasks[key] = task
        return task
    }
}
