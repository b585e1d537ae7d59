import Foundation
import Testing
import MoorTestSupport

/// The server and workstation of this lab are Macs; CI is Linux. Glibc-only spellings in
/// `Sources/` and `Tests/` must sit inside `#if` blocks, so the package and its tests compile
/// for macOS by construction.
@Suite struct PortabilityTests {
    /// The spellings, kept in a data file so this test is not itself one of its findings.
    static func linuxOnly() throws -> [String] {
        try Fixtures.text("portability/linux-only-spellings.txt").split(separator: "\n")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && !$0.hasPrefix("#") }
    }

    @Test(arguments: ["Sources", "Tests"])
    func linuxOnlySpellingsAreConditional(folder: String) throws {
        let sources = Fixtures.packageRoot + "/" + folder
        var violations: [String] = []
        let files = FileManager.default.enumerator(atPath: sources)?.allObjects as? [String] ?? []
        #expect(files.count > 30)
        let linuxOnly = try Self.linuxOnly()
        #expect(linuxOnly.count >= 10)
        for file in files where file.hasSuffix(".swift") {
            let text = try String(contentsOfFile: sources + "/" + file, encoding: .utf8)
            var depth = 0
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                if trimmed.hasPrefix("#if") { depth += 1 }
                if trimmed.hasPrefix("#endif") { depth -= 1 }
                if depth == 0, !trimmed.hasPrefix("//"), linuxOnly.contains(where: { trimmed.contains($0) }) {
                    violations.append("\(file):\(number + 1): \(trimmed)")
                }
            }
        }
        #expect(violations.isEmpty, "\(violations.joined(separator: "\n"))")
    }
}
