import Foundation
import MoorCore
import MoorSystem

/// One cluster as a backup sees it: its provider (where commands run as root), its kubectl
/// context, and its bound volumes with their node paths.
struct ClusterVolumes: Sendable {
    let spec: ClusterSpec
    let provider: any ClusterProvider
    let kubeContext: String
    let session: ObservationSession

    init(_ spec: ClusterSpec, lab: LabFile, session: ObservationSession) throws {
        self.spec = spec
        provider = try ClusterProviders.provider(for: spec)
        guard let context = lab.kubectlContext(for: spec) else {
            throw MoorError(.invalidInput, "cluster `\(spec.id)` has no kubectl context for moor to list its volumes: set its `remoteAccess.context` (or `kubeContext`) and run `moor kubeconfig --cluster \(spec.id) --merge`")
        }
        kubeContext = context
        self.session = session
    }

    var context: MoorContext { session.context }

    func kubectl(_ arguments: [String], stdin: [UInt8]? = nil, timeout: Duration = .seconds(60)) async throws -> String {
        try await KubectlRun.output(Command("kubectl", KubectlGitOps.base(kubeContext) + arguments, stdin: stdin, timeout: timeout),
                                    runner: context.runner, context: kubeContext)
    }

    /// `kubectl apply -f -` of one object, built in memory.
    func apply(_ object: [String: Any]) async throws {
        _ = try await kubectl(["apply", "-f", "-"], stdin: Array(try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])))
    }

    /// The bound volumes with a directory on the node, and the others with why they are not.
    func volumes() async throws -> (volumes: [ClaimVolume], skipped: [String]) {
        try ClaimVolume.parse(try await kubectl(["get", "persistentvolumes", "-o", "json"]))
    }

    /// A volume directory's size in bytes, as `du` on the node counts it.
    func size(_ volume: ClaimVolume) async throws -> Int {
        let text = try await provider.onNodeAsRoot(VolumeCommands.size(volume.path), stdinFile: nil, stdoutFile: nil, session)
        guard let kib = Int(text.split(whereSeparator: { $0 == "\t" || $0 == " " }).first ?? "") else {
            throw ToolOutputError(tool: "du -sk \(volume.path)", problem: "expected a size in KiB, got `\(text.prefix(80))`")
        }
        return kib * 1024
    }

    func run(_ words: [String], stdinFile: String? = nil, stdoutFile: String? = nil) async throws {
        _ = try await provider.onNodeAsRoot(words, stdinFile: stdinFile, stdoutFile: stdoutFile, session)
    }

    /// A directory's manifest as the node computes it (empty for a missing directory when
    /// `ifPresent`), through a scratch file in the state directory.
    func manifest(of path: String, ifPresent: Bool = false) async throws -> BackupManifest {
        let scratch = context.stateDirectory + "/manifest-\(UUID().uuidString).tmp"
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        try await run(ifPresent ? VolumeCommands.manifestIfPresent(path) : VolumeCommands.manifest(path), stdoutFile: scratch)
        return try BackupManifest.parse(try context.files.read(scratch, limit: 256 << 20))
    }

    /// The backup's manifest of `claim`.
    func expected(_ claim: BackupRecord.Claim, in backup: BackupRecord) throws -> BackupManifest {
        try BackupManifest.parse(try context.files.read(backup.directory + "/" + claim.manifest, limit: 256 << 20))
    }

    /// The first way `path` on the node differs from the backup's copy of `claim`, or nil.
    func difference(_ claim: BackupRecord.Claim, at path: String, backup: BackupRecord) async throws -> String? {
        try expected(claim, in: backup).differences(from: try await manifest(of: path)).first
    }
}
