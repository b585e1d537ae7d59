import Foundation
import MoorCore

/// What `moor migrate` or `moor rollback` did.
public struct MigrationReport: Sendable, Encodable {
    /// Where a step stands; printed `done`, `already done`, `would run`.
    public enum StepState: String, Sendable, Encodable {
        /// By this run.
        case done
        /// By an earlier, interrupted run.
        case alreadyDone = "already done"
        /// A dry run: it would.
        case wouldRun = "would run"
    }

    public struct Step: Sendable, Encodable {
        public var name: String
        public var state: StepState
        public var detail: String?
        public var seconds: Double?
    }

    public var migration: Int64?
    public var kind: String
    public var from: String
    public var to: String
    public var steps: [Step]
    /// `moor check`'s summary after the migration.
    public var checks: CheckReport.Summary?
    /// After a rollback: lab file keys that still ask for the new settings.
    public var labStillAsks: [String]
}

extension ClusterSpec {
    /// The spec that recreates a cluster with the settings `config` recorded (the rest as `lab`).
    public static func recreating(_ config: MinikubeProfiles.ProfileConfig, like lab: ClusterSpec) -> ClusterSpec {
        var spec = lab
        spec.driver = config.driver
        spec.containerRuntime = config.containerRuntime.description.isEmpty ? nil : config.containerRuntime
        spec.cpus = config.cpus > 0 ? config.cpus : nil
        spec.memoryMiB = config.memoryMiB > 0 ? config.memoryMiB : nil
        spec.diskMiB = config.diskMiB > 0 ? config.diskMiB : nil
        spec.apiServer.port = config.apiServerPort
        spec.apiServer.names = config.apiServerNames
        spec.apiServer.listenAddress = config.listenAddress.isEmpty ? nil : config.listenAddress
        return spec
    }

    /// `docker, containerd, 6 CPUs, 11GiB`.
    public var settingsText: String {
        [driver.description, containerRuntime?.description, cpus.map { "\($0) CPUs" }, memoryMiB.map(ClusterSettings.size)].compactMap { $0 }.joined(separator: ", ")
    }
}
