import Foundation
import Testing
import MoorCore
import MoorSystem

/// Quoting is checked against a real POSIX shell: what `sh` makes of the quoted line must
/// be exactly the words we started with.
@Suite struct ShellQuoteTests {
    static let hostile = ["plain", "", "with space", "it's", "\"double\"", "a;b", "$(touch /tmp/moor-pwned)", "`id`",
                          "line\nbreak", "tab\there", "back\\slash", "glob*?[a]", "~user", "FOO=bar", "-n", "ünïcødé 🚀",
                          "'", "''", "$HOME", "a|b&c>d<e", "#comment", "!bang"]

    @Test func quotedWordsSurviveARealShell() async throws {
        let parsed = try await Self.shellWords(ShellQuote.join(Self.hostile))
        #expect(parsed == Self.hostile)
        #expect(!FileManager.default.fileExists(atPath: "/tmp/moor-pwned"))
    }

    @Test func safeWordsStayReadable() {
        #expect(ShellQuote.quote("docker.io") == "docker.io")
        #expect(ShellQuote.quote("--include=hosts.toml") == "'--include=hosts.toml'")
        #expect(ShellQuote.quote("/etc/containerd/certs.d") == "/etc/containerd/certs.d")
        #expect(ShellQuote.quote("it's") == #"'it'\''s'"#)
        #expect(ShellQuote.quote("") == "''")
    }

    /// Doubly quoted (ssh to a host, then minikube ssh into the node) survives two shells.
    @Test func doubleQuotingSurvivesTwoShells() async throws {
        let inner = ShellQuote.join(Self.hostile)
        let outer = ShellQuote.join(["printf", "%s\\0"]) + " " + ShellQuote.quote(inner)
        let once = try await Self.run(outer)
        #expect(try await Self.shellWords(once) == Self.hostile)
    }

    static func shellWords(_ line: String) async throws -> [String] {
        var words = try await run("printf '%s\\0' " + line).split(separator: "\0", omittingEmptySubsequences: false).map(String.init)
        words.removeLast()
        return words
    }

    static func run(_ script: String) async throws -> String {
        try await LocalRunner().run(Command("/bin/sh", ["-c", script])).stdoutText
    }
}

@Suite struct UnitsTests {
    @Test(arguments: [("11264", 11264), ("11264MiB", 11264), ("12GiB", 12288), ("200g", 204800), ("512m", 512),
                      ("12GB", 12288), ("1 GiB", 1024)])
    func sizes(text: String, mebibytes: Int) { #expect(Units.mebibytes(text) == mebibytes) }

    @Test func badSizes() {
        for text in ["", "GiB", "12 parsecs", "-1g", "1.5g", "99999999999999999999"] { #expect(Units.mebibytes(text) == nil, "\(text)") }
    }

    @Test func durations() {
        #expect(Units.milliseconds("500ms") == 500)
        #expect(Units.milliseconds("5s") == 5000)
        #expect(Units.milliseconds("1m30s") == 90_000)
        #expect(Units.milliseconds("14d") == 14 * 86_400_000)
        #expect(Units.milliseconds("soon") == nil)
        #expect(Units.milliseconds("5") == nil)
    }

    @Test func suggestions() {
        #expect(Suggest.closest(to: "cpu", in: ["cpus", "memory"]) == "cpus")
        #expect(Suggest.closest(to: "registryMirror", in: ["registryMirrors", "name"]) == "registryMirrors")
        #expect(Suggest.closest(to: "zzzzzz", in: ["cpus", "memory"]) == nil)
    }
}
