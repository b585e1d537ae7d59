import Foundation
import Testing
import MoorSystem
import MoorTestSupport
import MoorCore

/// The ssh runner's argv, and its behaviour through an `ssh` that does what sshd does with
/// the command string: hand it to `sh -c`. (Real sshd tests come with remote access.)
@Suite struct SSHRunnerTests {
    @Test func wrapSharesOneConnectionAndQuotesOnce() {
        let runner = SSHRunner(host: "indri", destination: "indri", controlDirectory: "/state/ssh", base: LocalRunner())
        let wrapped = runner.wrap(Command("minikube", ["ssh", "-p", "minikube", "--", "a b"], stdin: [7]))
        #expect(wrapped.executable == "ssh")
        #expect(wrapped.arguments == ["-o", "BatchMode=yes", "-o", "ConnectTimeout=10", "-o", "ControlMaster=auto",
                                      "-o", "ControlPath=/state/ssh/%C", "-o", "ControlPersist=60",
                                      "-T", "--", "indri", "minikube ssh -p minikube -- 'a b'"])
        #expect(wrapped.stdin == [7])
        let named = runner.wrap(Command("minikube", ["ssh", "-p", "minikube", "--", "a b"]), token: "moor-run-1f")
        #expect(named.arguments.last == #"sh -c '"$@"; exit $?' moor-run-1f minikube ssh -p minikube -- 'a b'"#)
    }

    @Test func environmentGoesThroughEnv() {
        let runner = SSHRunner(host: "h", destination: "h", controlDirectory: "/c", base: LocalRunner())
        #expect(runner.wrap(Command("x", [], environment: ["B": "2", "A": "1 1"])).arguments.last == "env 'A=1 1' 'B=2' x")
    }

    @Test func hostileArgumentsArriveUnchangedThroughARemoteShell() async throws {
        let scratch = try Scratch()
        let ssh = try fakeSSH(in: scratch)
        let runner = SSHRunner(host: "indri", destination: "indri", controlDirectory: scratch.path, base: LocalRunner(environment: ["PATH": ssh]))
        let words = ["a b", "it's", "\"q\"", "semi;colon", "$(touch \(scratch.path)/pwned)", "new\nline", "ünï 🚀", ""]
        let result = try await runner.run(Command("printf", ["%s\\0"] + words, stdin: nil))
        #expect(result.exitCode == 0)
        #expect(result.stdoutText.split(separator: "\0", omittingEmptySubsequences: false).dropLast().map(String.init) == words)
        #expect(!FileManager.default.fileExists(atPath: scratch.path + "/pwned"))
        let echoed = try await runner.run(Command("cat", [], stdin: Array("piped\n".utf8)))
        #expect(echoed.stdoutText == "piped\n")
        let failed = try await runner.run(Command("sh", ["-c", "echo nope >&2; exit 4"]))
        #expect(failed.exitCode == 4 && failed.firstStderrLine == "nope")
    }

    @Test func sshOwnFailureIsUnreachable() async throws {
        let scratch = try Scratch()
        let bin = scratch.path + "/bin"
        _ = try scratch.write("bin/ssh", "#!/bin/sh\necho 'ssh: Could not resolve hostname indri: Name or service not known' >&2\nexit 255\n", mode: 0o755)
        let runner = SSHRunner(host: "indri", destination: "indri", controlDirectory: scratch.path, base: LocalRunner(environment: ["PATH": bin]))
        do {
            _ = try await runner.run(Command("true", []))
            Issue.record("no error")
        } catch let error as MoorError {
            #expect(error.code == .unreachable)
            #expect(error.message == "indri is unreachable over ssh (`ssh indri`): ssh: Could not resolve hostname indri: Name or service not known; check the host is up and `ssh indri` works")
        }
    }

    /// An `ssh` that runs its last argument with `sh -c`, as sshd does with the command string.
    func fakeSSH(in scratch: Scratch) throws -> String {
        _ = try scratch.write("bin/ssh", "#!/bin/sh\nfor last; do :; done\nexec /bin/sh -c \"$last\"\n", mode: 0o755)
        return scratch.path + "/bin:/usr/bin:/bin"
    }
}

/// macOS limits a socket path to 104 bytes; ssh binds `DIR/%C.` plus 16 random characters.
@Suite struct SSHControlPathTests {
    @Test func aShortStateDirectoryKeepsItsSSHFolder() {
        #expect(SSHControlPath.directory(stateDirectory: "/Users/erich/.local/state/moor", uid: 501) == "/Users/erich/.local/state/moor/ssh")
    }

    @Test(arguments: [String(repeating: "deep/", count: 6), String(repeating: "a-very-long-folder-name/", count: 12)])
    func aDeepStateDirectoryGetsAShortOneThatFits(suffix: String) {
        let state = "/Users/someone-with-a-long-name/Library/Application Support/" + suffix + "moor"
        let directory = SSHControlPath.directory(stateDirectory: state, uid: 501)
        #expect(directory.hasPrefix("/tmp/moor-501-"), "\(directory)")
        #expect(SSHControlPath.longestSocketPath(in: directory) <= SSHControlPath.socketPathLimit)
        #expect(directory == SSHControlPath.directory(stateDirectory: state, uid: 501), "stable")
        #expect(directory != SSHControlPath.directory(stateDirectory: state + "2", uid: 501), "one per state directory")
    }

    @Test func everyChosenDirectoryFits() {
        for length in stride(from: 1, through: 300, by: 7) {
            let state = "/" + String(repeating: "x", count: length)
            #expect(SSHControlPath.longestSocketPath(in: SSHControlPath.directory(stateDirectory: state, uid: 0)) <= SSHControlPath.socketPathLimit)
        }
    }
}
