import Foundation
import Testing
import MoorSystem
import MoorTestSupport
import MoorCore

/// The ssh runner against a real OpenSSH server on loopback.
@Suite(.serialized) struct RealSSHTests {
    let scratch: Scratch
    let server: SSHServer

    init() async throws {
        scratch = try Scratch("moor-sshd")
        server = try await SSHServer.start(in: scratch.path + "/sshd")
    }

    func runner(timeout: Int = 5, options: [String]? = nil) -> SSHRunner {
        let control = scratch.path + "/control-\(UUID().uuidString.prefix(6))"
        try? FileManager.default.createDirectory(atPath: control, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        return SSHRunner(host: "indri", destination: "127.0.0.1", controlDirectory: control, connectTimeoutSeconds: timeout,
                         options: options ?? server.sshOptions, base: LocalRunner())
    }

    @Test func hostileArgumentsStdinExitCodesAndStderr() async throws {
        let ssh = runner()
        let words = ["a b", "it's", "\"dq\"", ";", "semi;colon", "$(touch \(scratch.path)/pwned)", "`id`", "new\nline", "ünïcødé 🚀", "", "*"]
        let echoed = try await ssh.run(Command("printf", ["%s\\0"] + words))
        #expect(echoed.exitCode == 0, "\(echoed.stderrText)")
        #expect(echoed.stdoutText.split(separator: "\0", omittingEmptySubsequences: false).dropLast().map(String.init) == words)
        #expect(!FileManager.default.fileExists(atPath: scratch.path + "/pwned"))
        let piped = try await ssh.run(Command("cat", [], stdin: Array("line one\nline 'two'\n".utf8)))
        #expect(piped.stdoutText == "line one\nline 'two'\n")
        let failed = try await ssh.run(Command("sh", ["-c", "echo to-out; echo 'the first problem' >&2; exit 7"]))
        #expect(failed.exitCode == 7)
        #expect(failed.stdoutText == "to-out\n")
        #expect(failed.firstStderrLine == "the first problem")
        await #expect(throws: MoorError.self) { try await ssh.run(Command("moor-no-such-command", [])) }
    }

    @Test func manyCommandsShareOneConnection() async throws {
        let before = server.acceptedConnections
        let ssh = runner()
        try await withThrowingTaskGroup(of: Int32.self) { group in
            for index in 0..<12 { group.addTask { try await ssh.run(Command("echo", [String(index)])).exitCode } }
            for try await code in group { #expect(code == 0) }
        }
        _ = try await ssh.run(Command("true", []))
        #expect(server.acceptedConnections - before == 1, "sshd accepted \(server.acceptedConnections - before) connections")
    }

    @Test func aLongCommandDoesNotHoldUpTheOthersToTheSameHost() async throws {
        let ssh = runner()
        let start = ContinuousClock.now
        let slow = Task { try await ssh.run(Command("sleep", ["12"])) }
        try await Task.sleep(for: .milliseconds(100))
        let quick = try await ssh.run(Command("echo", ["quick"]))
        let quickDone = ContinuousClock.now - start
        #expect(quick.stdoutText == "quick\n")
        #expect(quickDone < .seconds(9), "the quick command waited for the slow one: \(quickDone)")
        #expect(try await slow.value.exitCode == 0)
    }

    @Test func cancellingStopsTheRemoteCommand() async throws {
        let ssh = runner()
        _ = try await ssh.run(Command("true", []))
        let marker = "moor-cancel-\(UUID().uuidString.prefix(8))"
        let task = Task { try await ssh.run(Command("sh", ["-c", "sleep 30; : \(marker)"])) }
        let start = ContinuousClock.now
        while try await LocalRunner().run(Command("pgrep", ["-f", marker])).exitCode != 0, ContinuousClock.now - start < .seconds(10) {
            try await Task.sleep(for: .milliseconds(50))
        }
        task.cancel()
        await #expect(throws: MoorError.self) { try await task.value }
        var gone = false
        for _ in 0..<40 where !gone {
            try await Task.sleep(for: .milliseconds(50))
            gone = try await LocalRunner().run(Command("pgrep", ["-f", marker])).exitCode != 0
        }
        let ps = try await LocalRunner().run(Command("sh", ["-c", "ps -eo pid,pgid,sid,args | grep -v grep | grep -e moor-run -e \(marker)"]))
        #expect(gone, "the remote command still runs after the local side was cancelled: \(ps.stdoutText)")
    }

    @Test func aRefusingHostIsUnreachableAtOnce() async throws {
        let closedPort = try await TestServer.start(.silent)
        let port = closedPort.port
        await closedPort.stop()
        var options = server.sshOptions
        options[1] = String(port)
        let start = ContinuousClock.now
        do {
            _ = try await runner(options: options).run(Command("true", []))
            Issue.record("no error")
        } catch let error as MoorError {
            #expect(error.code == .unreachable)
            #expect(error.message.hasPrefix("indri is unreachable over ssh (`ssh 127.0.0.1`): ssh: connect to host 127.0.0.1 port \(port): Connection refused"))
        }
        #expect(ContinuousClock.now - start < .seconds(3))
    }

    @Test func aHostThatNeverAnswersFailsWithinTheTimeout() async throws {
        let silent = try await TestServer.start(.silent)
        var options = server.sshOptions
        options[1] = String(silent.port)
        let start = ContinuousClock.now
        do {
            _ = try await runner(timeout: 2, options: options).run(Command("true", [], timeout: .seconds(1)))
            Issue.record("no error")
        } catch let error as MoorError {
            #expect(error.code == .unreachable || error.code == .timeout, "\(error)")
        }
        #expect(ContinuousClock.now - start < .seconds(5))
    }
}
