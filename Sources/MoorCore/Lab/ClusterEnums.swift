/// minikube's `--driver`; `unknown` keeps what a newer minikube reports.
public enum MinikubeDriver: ToolValue {
    case docker, podman, qemu2, hyperkit, virtualbox, kvm2, vfkit, none, ssh
    case unknown(String)

    public static let known: [MinikubeDriver] = [.docker, .podman, .qemu2, .hyperkit, .virtualbox, .kvm2, .vfkit, .none, .ssh]

    public var description: String {
        switch self {
        case .docker: "docker"
        case .podman: "podman"
        case .qemu2: "qemu2"
        case .hyperkit: "hyperkit"
        case .virtualbox: "virtualbox"
        case .kvm2: "kvm2"
        case .vfkit: "vfkit"
        case .none: "none"
        case .ssh: "ssh"
        case .unknown(let text): text
        }
    }
}

/// The node's container runtime (`--container-runtime`).
public enum ContainerRuntime: ToolValue {
    case docker, containerd, crio
    case unknown(String)

    public static let known: [ContainerRuntime] = [.docker, .containerd, .crio]

    public var description: String {
        switch self {
        case .docker: "docker"
        case .containerd: "containerd"
        case .crio: "cri-o"
        case .unknown(let text): text
        }
    }
}

/// A value stored and shown as its text (journal snapshots, JSON), typed in between.
public protocol StringCodable: Codable, CustomStringConvertible {
    init(_ text: String)
}

extension StringCodable {
    public init(from decoder: any Decoder) throws {
        self.init(try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// A value a tool reports, typed: the cases moor knows (`known`), and `unknown` for the rest.
public protocol ToolValue: StringCodable, Sendable, Hashable, ExpressibleByStringLiteral {
    static var known: [Self] { get }
    static func unknown(_ text: String) -> Self
}

extension ToolValue {
    public init(_ text: String) {
        self = Self.known.first { $0.description == text } ?? .unknown(text)
    }

    public init(stringLiteral value: String) { self.init(value) }
}
