import MoorCore

/// Runs commands on another machine through the user's OpenSSH, so `~/.ssh/config`, agents
/// and Tailscale SSH behave as they do in a terminal. One master connection per host is
/// shared by every command of a run (ControlMaster), and kept briefly for the next run.
public struct SSHRunner: CommandRunner {
    public var host: String
    public var destination: String
    public var controlDirectory: String
    public var connectTimeoutSeconds: Int
    /// Extra `ssh` options placed before the destination (tests pass a port and key).
    public var options: [String]
    public var base: any CommandRunner

    public init(host: String, destination: String, controlDirectory: String, connectTimeoutSeconds: Int = 10,
                options: [String] = [], base: any CommandRunner) {
        self.host = host
        self.destination = destination
        self.controlDirectory = controlDirectory
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.options = options
        self.base = base
    }

    /// The local `ssh` command that runs `command` remotely. The remote side joins words
    /// with spaces and hands them to a shell, so each word is quoted exactly once here. With
    /// a `token`, the command runs under a shell named by it, so `stopRemote` can find it.
    public func wrap(_ command: Command, token: String? = nil) -> Command {
        var words = command.argv
        if !command.environment.isEmpty {
            words = ["env"] + command.environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" } + words
        }
        if let token { words = ["sh", "-c", #""$@"; exit $?"#, token] + words }
        var wrapped = ssh(words, stdin: command.stdin, redact: command.redact, timeout: command.timeout)
        wrapped.stdinFile = command.stdinFile
        wrapped.stdoutFile = command.stdoutFile
        return wrapped
    }

    func ssh(_ words: [String], stdin: [UInt8]?, redact: Bool, timeout: Duration) -> Command {
        let arguments = [
            "-o", "BatchMode=yes",
            "-o", "ConnectTimeout=\(connectTimeoutSeconds)",
            "-o", "ControlMaster=auto",
            "-o", "ControlPath=\(controlDirectory)/%C",
            "-o", "ControlPersist=60",
        ] + options + ["-T", "--", destination, ShellQuote.join(words)]
        return Command("ssh", arguments, stdin: stdin, redact: redact, timeout: timeout + .seconds(connectTimeoutSeconds))
    }

    /// Without a terminal, sshd does not signal a session's processes when its channel
    /// closes, so an interrupted command would run on. This finds the shell named `token` on
    /// the host (the pattern's brackets keep it from matching itself) and ends its process
    /// group, over the shared connection, within two seconds.
    func stopRemote(_ token: String) async {
        let pattern = "moor-run-[" + token.dropFirst("moor-run-".count).prefix(1) + "]" + token.dropFirst("moor-run-".count + 1)
        let script = #"for p in $(pgrep -f "$1"); do g=$(ps -o pgid= -p "$p" | tr -d ' '); [ -n "$g" ] && kill -TERM "-$g" 2>/dev/null; kill -TERM "$p" 2>/dev/null; done; exit 0"#
        let stop = ssh(["sh", "-c", script, "sh", pattern], stdin: nil, redact: false, timeout: .seconds(2))
        let base = base
        await Task.detached { _ = try? await base.run(stop) }.value
    }

    public func run(_ command: Command) async throws -> CommandResult {
        try await openShared()
        return try await exchange(command)
    }

    /// The first command to a host waits only until the shared connection is up; then every
    /// command multiplexes over it at once, however long any of them runs.
    func openShared() async throws {
        try await SSHConnectionGate.shared.ensureOpen(key: "\(controlDirectory)|\(destination)|\(options)") {
            let opener = Command("true", [], timeout: .seconds(Int64(connectTimeoutSeconds)))
            _ = try await exchange(opener)
        }
    }

    /// The name a remote command's shell runs under, for `stopRemote`.
    static func newToken() -> String { "moor-run-" + String(UInt64.random(in: 0...UInt64.max), radix: 16) }

    /// 255 is ssh's own failure (resolve, connect, authenticate), not the remote command's.
    func unreachable(_ command: Command, _ result: CommandResult) -> MoorError? {
        guard result.exitCode == 255 else { return nil }
        let line = result.firstStderrLine.map { ": \($0)" } ?? ""
        return MoorError(code: .unreachable,
                           message: "\(host) is unreachable over ssh (`ssh \(destination)`)\(line); check the host is up and `ssh \(destination)` works",
                           argv: command.displayArgv, exitCode: 255, stderrLine: result.firstStderrLine)
    }

    /// A streaming command runs under a named shell too, so stopping watch ends it on the host.
    public func stream(_ command: Command, line: @escaping @Sendable (String) async -> Void) async throws -> CommandResult {
        try await openShared()
        let token = Self.newToken()
        do {
            let result = try await base.stream(wrap(command, token: token), line: line)
            if let error = unreachable(command, result) { throw error }
            return result
        } catch let error as MoorError where error.code == .interrupted {
            await stopRemote(token)
            throw error
        }
    }

    /// One command through ssh, with ssh's own failures told apart from the command's.
    func exchange(_ command: Command) async throws -> CommandResult {
        let token = Self.newToken()
        let wrapped = wrap(command, token: token)
        let result: CommandResult
        do {
            result = try await base.run(wrapped)
        } catch let error as MoorError where error.code == .interrupted {
            await stopRemote(token)
            throw error
        } catch let error as MoorError where error.code == .timeout {
            throw MoorError(code: .timeout, message: "`\(command.description)` on \(host) did not finish within \(wrapped.timeout.seconds)s",
                              argv: command.displayArgv)
        } catch let error as MoorError where error.code == .toolMissing {
            throw MoorError(code: .toolMissing, message: "ssh is not installed on this machine; moor reaches \(host) through OpenSSH",
                              argv: wrapped.displayArgv)
        }
        if let error = unreachable(command, result) { throw error }
        if result.exitCode == 127, result.stderrText.contains("command not found") || result.stderrText.contains("not found") {
            throw MoorError.toolMissing(command, host: host)
        }
        return result
    }
}

/// Opens each ssh destination's shared connection once per process: the first command's
/// caller runs a trivial command that makes `ControlMaster=auto` set up the master (kept by
/// `ControlPersist`), and callers arriving meanwhile wait for that, not for each other.
actor SSHConnectionGate {
    static let shared = SSHConnectionGate()

    private var opened: Set<String> = []
    private var opening: [String: Task<Void, any Error>] = [:]

    func ensureOpen(key: String, _ open: @escaping @Sendable () async throws -> Void) async throws {
        if opened.contains(key) { return }
        let task: Task<Void, any Error>
        if let existing = opening[key] {
            task = existing
        } else {
            task = Task { try await open() }
            opening[key] = task
        }
        do {
            try await withTaskCancellationHandler { try await task.value } onCancel: { task.cancel() }
            opened.insert(key)
            opening[key] = nil
        } catch {
            opening[key] = nil
            throw error
        }
    }
}
