import Foundation

/// What state a cluster is in, as moor reports it.
public enum ClusterState: String, Sendable, Codable, Equatable {
    case running, stopped, paused, absent
    /// The host runs but the API server or kubelet does not.
    case error
}

/// `minikube status -o json`: one compact object per node (an array for several), or
/// `null` when the machine is gone; the exit code is a bit set (1 host, 2 cluster, 4 kubeconfig).
public enum MinikubeStatus {
    public struct Node: Sendable, Equatable, Decodable {
        public var name: String
        public var host: String
        public var kubelet: String
        public var apiServer: String
        public var kubeconfig: String

        enum CodingKeys: String, CodingKey {
            case name = "Name", host = "Host", kubelet = "Kubelet", apiServer = "APIServer", kubeconfig = "Kubeconfig"
        }
    }

    /// Exit 85 is minikube's "profile not found" (stdout is then JSON event lines).
    public static let profileNotFoundExitCode: Int32 = 85

    public static func parse(stdout: String, exitCode: Int32) throws -> ClusterState {
        if exitCode == profileNotFoundExitCode { return .absent }
        let trimmed = stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed == "null" || trimmed.isEmpty { return .absent }
        let data = Data(trimmed.utf8)
        let nodes: [Node]
        do {
            if trimmed.hasPrefix("[") {
                nodes = try JSONDecoder().decode([Node].self, from: data)
            } else {
                nodes = [try JSONDecoder().decode(Node.self, from: data)]
            }
        } catch {
            throw ToolOutputError(tool: "minikube status", problem: "expected a JSON status object")
        }
        guard let primary = nodes.first else { return .absent }
        return state(of: primary)
    }

    static func state(of node: Node) -> ClusterState {
        switch node.host {
        case "Nonexistent": return .absent
        case "Running":
            if node.apiServer == "Paused" { return .paused }
            if node.apiServer == "Running", node.kubelet == "Running" { return .running }
            return .error
        case "Paused": return .paused
        case "Stopped", "Saved", "Stopping": return .stopped
        default: return .error
        }
    }
}
