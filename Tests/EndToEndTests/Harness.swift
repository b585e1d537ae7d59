import Foundation
import MoorCore
import MoorStandIns
import MoorSystem
import MoorTestSupport

/// A pretend homelab for the built `moor`: stand-in tools first on PATH, their state and a
/// state directory in a scratch folder.
final class Homelab: @unchecked Sendable {
    let scratch: Scratch
    let world: WorldStore
    let bin: String
    let labPath: String

    /// Where `moor` and `moor-standin` are: `$MOOR_TEST_BIN_DIR` (the release build, for the
    /// end-to-end run against the binary users install), else beside the test bundle.
    static let buildDirectory: String = {
        if let directory = ProcessInfo.processInfo.environment["MOOR_TEST_BIN_DIR"], !directory.isEmpty { return directory }
        #if os(Linux)
        let me = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        #else
        let me = Bundle.allBundles.first { $0.bundlePath.hasSuffix(".xctest") }?.bundleURL ?? Bundle.main.bundleURL
        #endif
        var directory = me.deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: directory.appendingPathComponent("moor").path), directory.path != "/" {
            directory = directory.deletingLastPathComponent()
        }
        return directory.path
    }()

    static var moor: String { buildDirectory + "/moor" }
    /// The stand-ins are test tools, not what users run: `$MOOR_TEST_STANDIN` (scripts/test
    /// points it at the debug build's, so the release phase builds only `moor`), else beside `moor`.
    static var standIn: String {
        if let path = ProcessInfo.processInfo.environment["MOOR_TEST_STANDIN"], !path.isEmpty { return path }
        return buildDirectory + "/moor-standin"
    }

    /// Extra variables for every moor run (KUBECONFIG for the API emulator).
    var extraEnvironment: [String: String] = [:]

    /// `standIns`: the tools replaced by stand-ins; a GitOps lab leaves kubectl out, so the
    /// real one on PATH talks to the API emulator.
    init(lab: String, standIns: [String] = StandIn.tools) throws {
        scratch = try Scratch("moor-e2e")
        world = WorldStore(directory: scratch.path + "/world")
        try FileManager.default.createDirectory(atPath: world.directory, withIntermediateDirectories: true)
        bin = try StandIn.install(executable: Self.standIn, into: scratch.path, only: standIns)
        labPath = try scratch.write("moor.yaml", lab)
    }

    var environment: [String: String] {
        ["PATH": "\(bin):/usr/bin:/bin", "MOOR_STANDIN_DIR": world.directory, "MOOR_STATE_DIR": scratch.path + "/state",
         "MOOR_FILE": labPath, "HOME": scratch.path].merging(extraEnvironment) { _, new in new }
    }

    struct Run {
        var exit: Int32
        var stdout: String
        var stderr: String

        func json() throws -> [String: Any] {
            try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any] ?? [:]
        }
    }

    @discardableResult
    func moor(_ arguments: String...) async throws -> Run {
        let result = try await LocalRunner(environment: environment).run(Command(Self.moor, arguments, timeout: .seconds(180)))
        return Run(exit: result.exitCode, stdout: result.stdoutText, stderr: result.stderrText)
    }

    @discardableResult
    func moor(arguments: [String]) async throws -> Run {
        let result = try await LocalRunner(environment: environment).run(Command(Self.moor, arguments, timeout: .seconds(180)))
        return Run(exit: result.exitCode, stdout: result.stdoutText, stderr: result.stderrText)
    }

    @discardableResult
    func moorWith(_ extra: [String: String], _ arguments: String...) async throws -> Run {
        let result = try await LocalRunner(environment: environment.merging(extra) { _, new in new })
            .run(Command(Self.moor, arguments, timeout: .seconds(180)))
        return Run(exit: result.exitCode, stdout: result.stdoutText, stderr: result.stderrText)
    }

    func writeLab(_ text: String) throws { _ = try scratch.write("moor.yaml", text) }

    func nodeFile(_ path: String, profile: String = "minikube") -> String? {
        try? String(contentsOfFile: world.nodeRoot(profile) + path, encoding: .utf8)
    }
}

enum Labs {
    static func seed(runtime: String = "docker", cpus: Int = 6, extraNames: [String] = [], host: String? = nil, minikubeHome: String? = nil) -> String {
        SeedLab.text(runtime: runtime, cpus: cpus, extraNames: extraNames, host: host, minikubeHome: minikubeHome)
    }
}
