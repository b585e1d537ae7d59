import Foundation
import Testing
import MoorSystem
import MoorTestSupport
import MoorCore

/// The local runner against real processes.
@Suite struct LocalRunnerTests {
    let runner = LocalRunner()

    @Test func argvArrivesUnchangedWithNoShell() async throws {
        let words = ["a b", "it's", "$(touch /tmp/moor-pwned-local)", "semi;colon", "new\nline", "ünï"]
        let result = try await runner.run(Command("/usr/bin/printf", ["%s\\0"] + words))
        #expect(result.exitCode == 0)
        #expect(result.stdoutText.split(separator: "\0").map(String.init) == words)
        #expect(!FileManager.default.fileExists(atPath: "/tmp/moor-pwned-local"))
    }

    @Test func stdinStdoutStderrAndExitStatus() async throws {
        let echo = try await runner.run(Command("cat", [], stdin: Array("from stdin\n".utf8)))
        #expect(echo.stdoutText == "from stdin\n")
        let failing = try await runner.run(Command("sh", ["-c", "echo out; echo '  first problem' >&2; echo second >&2; exit 3"]))
        #expect(failing.exitCode == 3)
        #expect(failing.stdoutText == "out\n")
        #expect(failing.firstStderrLine == "first problem")
        await #expect(throws: MoorError.self) { try await runner.output(Command("false", [])) }
    }

    @Test func aFailedToolNamesArgvStatusAndFirstStderrLine() async throws {
        do {
            _ = try await runner.output(Command("sh", ["-c", "echo 'boom: it broke' >&2; exit 7"]), host: "indri")
            Issue.record("no error")
        } catch let error as MoorError {
            #expect(error.code == .toolFailed)
            #expect(error.argv == ["sh", "-c", "echo 'boom: it broke' >&2; exit 7"])
            #expect(error.exitCode == 7)
            #expect(error.stderrLine == "boom: it broke")
            #expect(error.message.contains("on indri with exit status 7: boom: it broke"))
        }
    }

    @Test func aMissingToolIsNotFound() async throws {
        await #expect(throws: MoorError(code: .toolMissing, message: "moor-no-such-tool is not installed (not found on PATH); install it or fix PATH",
                                          argv: ["moor-no-such-tool"])) {
            try await runner.run(Command("moor-no-such-tool", []))
        }
        let withPath = LocalRunner(environment: ["PATH": "/nonexistent"])
        await #expect(throws: MoorError.self) { try await withPath.run(Command("ls", [])) }
    }

    @Test func aHangingToolTimesOut() async throws {
        let clock = ContinuousClock()
        let start = clock.now
        do {
            _ = try await runner.run(Command("sleep", ["30"], timeout: .milliseconds(300)))
            Issue.record("no timeout")
        } catch let error as MoorError {
            #expect(error.code == .timeout)
        }
        #expect(start.duration(to: clock.now) < .seconds(10))
    }

    @Test func largeOutputOnBothPipesDoesNotDeadlock() async throws {
        let result = try await runner.run(Command("sh", ["-c", "head -c 3000000 /dev/zero; head -c 3000000 /dev/zero >&2"]))
        #expect(result.stdout.count == 3_000_000)
        #expect(result.stderr.count == 3_000_000)
    }

    @Test func redactedCommandsHideTheirArguments() {
        let command = Command("op", ["read", "op://vault/item/password"], redact: true)
        #expect(command.description == "op read <redacted>")
        #expect(!command.displayArgv.contains("op://vault/item/password"))
    }

    @Test func stdoutAndStdinStreamThroughFiles() async throws {
        let scratch = try Scratch()
        var out = Command("head", ["-c", "50000000", "/dev/zero"])
        out.stdoutFile = scratch.path + "/big"
        let written = try await LocalRunner().run(out)
        #expect(written.exitCode == 0 && written.stdout.isEmpty, "nothing is held in memory")
        let attributes = try FileManager.default.attributesOfItem(atPath: scratch.path + "/big")
        #expect(attributes[.size] as? Int == 50_000_000)
        #expect(attributes[.posixPermissions] as? Int == 0o600)
        var count = Command("wc", ["-c"])
        count.stdinFile = scratch.path + "/big"
        #expect(try await LocalRunner().run(count).stdoutText.trimmingCharacters(in: .whitespacesAndNewlines) == "50000000")
    }
}
