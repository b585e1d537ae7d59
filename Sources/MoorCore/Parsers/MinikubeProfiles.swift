import Foundation

/// `minikube profile list -o json`: `{"invalid":[…],"valid":[…]}`, each profile with its
/// status (`OK` when running) and its ClusterConfig.
public enum MinikubeProfiles {
    public struct Profile: Sendable, Equatable {
        public var name: String
        public var state: ClusterState
        public var config: ProfileConfig?
    }

    /// The settings of a created cluster that the lab file can ask for.
    public struct ProfileConfig: Sendable, Equatable, Codable {
        public var driver: MinikubeDriver
        public var containerRuntime: ContainerRuntime
        public var cpus: Int
        public var memoryMiB: Int
        public var diskMiB: Int
        public var apiServerPort: Int
        public var apiServerNames: [String]
        public var listenAddress: String
        /// `KubernetesConfig.KubernetesVersion` (`v1.36.2`); not a setting moor compares.
        public var kubernetesVersion: String?

        public init(driver: MinikubeDriver, containerRuntime: ContainerRuntime, cpus: Int, memoryMiB: Int, diskMiB: Int,
                    apiServerPort: Int, apiServerNames: [String], listenAddress: String, kubernetesVersion: String? = nil) {
            self.kubernetesVersion = kubernetesVersion
            self.driver = driver
            self.containerRuntime = containerRuntime
            self.cpus = cpus
            self.memoryMiB = memoryMiB
            self.diskMiB = diskMiB
            self.apiServerPort = apiServerPort
            self.apiServerNames = apiServerNames
            self.listenAddress = listenAddress
        }
    }

    public static func parse(_ json: String) throws -> [Profile] {
        let list: List
        do {
            list = try JSONDecoder().decode(List.self, from: Data(json.utf8))
        } catch {
            throw ToolOutputError(tool: "minikube profile list", problem: "expected {\"invalid\":[…],\"valid\":[…]}")
        }
        if let error = list.error { throw ToolOutputError(tool: "minikube profile list", problem: error.description) }
        return (list.valid ?? []).map { raw in
            Profile(name: raw.Name, state: state(raw.Status), config: raw.Config.map(config))
        }
    }

    static func state(_ status: String) -> ClusterState {
        switch status {
        case "OK", "HAppy", "Running": return .running
        case "Stopped": return .stopped
        case "Paused": return .paused
        case "Starting", "Stopping", "Degraded", "Error", "InsufficientStorage": return .error
        default: return .error
        }
    }

    static func config(_ raw: RawConfig) -> ProfileConfig {
        ProfileConfig(
            driver: MinikubeDriver(raw.Driver ?? ""),
            containerRuntime: ContainerRuntime(raw.KubernetesConfig?.ContainerRuntime ?? ""),
            cpus: raw.CPUs ?? 0,
            memoryMiB: raw.Memory ?? 0,
            diskMiB: raw.DiskSize ?? 0,
            apiServerPort: raw.APIServerPort ?? raw.Nodes?.first?.Port ?? 8443,
            apiServerNames: raw.KubernetesConfig?.APIServerNames ?? [],
            listenAddress: raw.ListenAddress ?? "",
            kubernetesVersion: raw.KubernetesConfig?.KubernetesVersion)
    }

    // The JSON keys are minikube's Go field names.
    struct List: Decodable {
        var valid: [RawProfile]?
        var error: AnyJSONText?
    }

    struct RawProfile: Decodable {
        var Name: String
        var Status: String
        var Config: RawConfig?
    }

    struct RawConfig: Decodable {
        var Driver: String?
        var CPUs: Int?
        var Memory: Int?
        var DiskSize: Int?
        var APIServerPort: Int?
        var ListenAddress: String?
        var KubernetesConfig: RawKubernetes?
        var Nodes: [RawNode]?
    }

    struct RawKubernetes: Decodable {
        var ContainerRuntime: String?
        var KubernetesVersion: String?
        var APIServerNames: [String]?
    }

    struct RawNode: Decodable {
        var Port: Int?
    }

    /// An error value of unknown shape, kept as text.
    struct AnyJSONText: Decodable, CustomStringConvertible {
        var description: String
        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self) { description = text }
            else if let object = try? container.decode([String: String].self) { description = object.values.sorted().joined(separator: "; ") }
            else { description = "minikube reported an error" }
        }
    }
}
