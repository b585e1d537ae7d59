import Foundation
import Testing
import MoorCore
import MoorSystem
import MoorTestSupport

/// The backup check: GNU tar's archive of a tree against the manifest the node script
/// computes, by the real tar, sh, find and sha256sum.
@Suite struct TarManifestTests {
    static func tree(in scratch: Scratch) throws -> String {
        let root = scratch.path + "/hostpath"
        let names = ["default/data-pg-0/PG_VERSION", "default/data-pg-0/with space.txt", "mon/grafana/ünïcødé 🚀.db",
                     "mon/grafana/-leading-dash", String(repeating: "deep/", count: 30) + "long-name-past-one-hundred-characters.txt"]
        for (index, name) in names.enumerated() {
            _ = try scratch.write("hostpath/" + name, String(repeating: "x\(index)", count: 1000 * (index + 1)))
        }
        try FileManager.default.createDirectory(atPath: root + "/empty/dir", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: root + "/mon/link", withDestinationPath: "grafana")
        return root
    }

    func manifest(_ root: String) async throws -> BackupManifest {
        let result = try await LocalRunner().run(Command("sh", ["-c", BackupManifest.script, "sh", root]))
        #expect(result.exitCode == 0, "\(result.stderrText)")
        return try BackupManifest.parse(result.stdout)
    }

    @Test func anArchiveMatchesItsTreeAndOneChangedByteIsNamed() async throws {
        let scratch = try Scratch()
        let root = try Self.tree(in: scratch)
        let expected = try await manifest(root)
        #expect(expected.files.count == 5)
        var tar = Command("tar", ["-C", root, "-cf", "-", "."])
        tar.stdoutFile = scratch.path + "/hostpath.tar"
        #expect(try await LocalRunner().run(tar).exitCode == 0)
        let archived = try TarManifest.compute(scratch.path + "/hostpath.tar")
        #expect(expected.differences(from: archived).isEmpty, "\(expected.differences(from: archived))")
        #expect(archived.files["mon/grafana/-leading-dash"]?.size == 8000)

        // One byte changed inside a file's data: named.
        let handle = try #require(FileHandle(forUpdatingAtPath: scratch.path + "/hostpath.tar"))
        let data = try Data(contentsOf: URL(fileURLWithPath: scratch.path + "/hostpath.tar"))
        let offset = try #require(data.range(of: Data("x4x4x4".utf8))).lowerBound
        try handle.seek(toOffset: UInt64(offset))
        try handle.write(contentsOf: Data("y".utf8))
        try handle.close()
        let corrupted = try TarManifest.compute(scratch.path + "/hostpath.tar")
        let problems = expected.differences(from: corrupted)
        #expect(problems.count == 1)
        #expect(problems.first?.hasPrefix("deep/") == true && problems.first?.contains("long-name-past-one-hundred-characters.txt differs") == true, "\(problems)")
    }
}
