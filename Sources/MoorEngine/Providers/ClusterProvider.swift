import MoorCore

/// What runs a cluster (minikube, k3s): the kinds of its resources, and what the other
/// kinds and commands ask of it (the API server's port for exposure, the credentials for a
/// workstation's kubeconfig). Adding a provider is a folder and one line in `ClusterProviders`.
public protocol ClusterProvider: Sendable {
    /// The lab file's `provider:` value.
    static var name: String { get }
    init(spec: ClusterSpec)
    var spec: ClusterSpec { get }
    /// This cluster's resource kinds: the cluster itself and the files on its node.
    var kinds: [any ResourceKind] { get }
    /// The API server's port on the cluster host while it runs, else nil.
    func apiHostPort(_ session: ObservationSession) async throws -> Int?
    /// The CA, client certificate and key a workstation's kubeconfig needs, read on the cluster host.
    func credentials(_ hosts: HostRunners, home: String) async throws -> ClusterCredentials
    /// The container whose docker events `moor watch` follows, or nil when the cluster has
    /// none (watch then relies on its periodic reconcile).
    var eventContainer: String? { get }
    /// The line watch logs for a cluster without container events.
    var withoutEvents: String { get }
    /// Why `moor migrate` does not apply to this provider's clusters; nil when it does.
    var migrationUnsupported: String? { get }

    // doctor
    /// Why a diagnosis (by id) does not apply to this provider's clusters; nil when it does.
    func diagnosisSkip(_ id: String) -> String?
    /// This provider's own diagnoses, each replacing the generic one of its id.
    func diagnoses(_ lab: LabFile) -> [any DiagnosisKind]
    /// Where the node keeps images and volumes (`df` looks there).
    var dataDirectory: String { get }
    /// Runs `words` on the node (minikube ssh) or the cluster host (k3s); its stdout.
    func onNode(_ words: [String], _ session: ObservationSession) async throws -> String
    /// Runs `words` as root on the node (minikube ssh, sudo) or the cluster host (k3s, `sudo -n`),
    /// streaming stdin from a file and stdout to a file (a backup's archive): moor holds
    /// none of it in memory. Returns stdout when no `stdoutFile` is given.
    func onNodeAsRoot(_ words: [String], stdinFile: String?, stdoutFile: String?, _ session: ObservationSession) async throws -> String
    /// Nil when the cluster runs, else why not and what to do.
    func notRunning(_ session: ObservationSession) async throws -> String?
}

extension ClusterProvider {
    public var eventContainer: String? { nil }
    public var migrationUnsupported: String? { nil }
    public func diagnosisSkip(_ id: String) -> String? { nil }
    public func diagnoses(_ lab: LabFile) -> [any DiagnosisKind] { [] }
    /// The engine key of this cluster's `kind` observation (`cluster`, `cluster@ringtail`).
    public func key(_ kind: String) -> String { kind + (spec.label.map { "@\($0)" } ?? "") }
}

/// A cluster's CA and a client's certificate and key, PEM (never written by the engine).
public struct ClusterCredentials: Sendable {
    public var ca: [UInt8]
    public var certificate: [UInt8]
    public var key: [UInt8]

    public init(ca: [UInt8], certificate: [UInt8], key: [UInt8]) {
        self.ca = ca
        self.certificate = certificate
        self.key = key
    }
}

/// Every provider moor knows.
public enum ClusterProviders {
    static let registered: [Registration] = [
        Registration(MinikubeProvider.self),
        Registration(K3sProvider.self),
    ]

    /// A provider's name and how to make one for a cluster.
    public struct Registration: Sendable {
        public let name: String
        let make: @Sendable (ClusterSpec) -> any ClusterProvider

        public init<P: ClusterProvider>(_ type: P.Type) {
            name = P.name
            make = { P(spec: $0) }
        }
    }

    /// The provider of a cluster; a provider moor does not know is the lab file's error.
    public static func provider(for spec: ClusterSpec, extra: [Registration] = []) throws -> any ClusterProvider {
        guard let registration = (registered + extra).first(where: { $0.name == spec.provider.description }) else {
            throw MoorError(.invalidInput, "cluster `\(spec.id)` has the provider `\(spec.provider)`, which this moor does not know (\(registered.map(\.name).joined(separator: ", ")))")
        }
        return registration.make(spec)
    }
}
