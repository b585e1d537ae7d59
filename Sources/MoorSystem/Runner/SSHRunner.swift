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
    /// with spaces and hands them to a shell, so each word is quoted exactly once here.
    public func wrap(_ command: Command) -> Command {
        var words = command.argv
        if !command.environment.isEmpty {
            words = ["env"] + command.environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" } + words
        }
        let arguments = [
            "-o", "BatchMode=yes",
            "-o", "ConnectTimeout=\(connectTimeoutSeconds)",
            "-o", "ControlMaster=auto",
            "-o", "ControlPath=\(controlDirectory)/%C",
            "-o", "ControlPersist=60",
        ] + options + ["-T", "--", destination, ShellQuote.join(words)]
        return Command("ssh", arguments, stdin: command.stdin, redact: command.redact,
                       timeout: command.timeout + .seconds(connectTimeoutSeconds))
    }

    public func run(_ command: Command) async throws -> CommandResult {
        let wrapped = wrap(command)
        let result: CommandResult
        do {
            // The first command to a host opens the shared connection alone; the rest then
            // multiplex over it instead of racing to become the master.
            result = try await SSHConnectionGate.shared.run(key: "\(controlDirectory)|\(destination)|\(options)") {
                try await base.run(wrapped)
            }
        } catch let error as SystemError where error.code == .timeout {
            throw SystemError(code: .timeout, message: "`\(command.description)` on \(host) did not finish within \(wrapped.timeout.seconds)s",
                              argv: command.displayArgv)
        } catch let error as SystemError where error.code == .notFound {
            throw SystemError(code: .notFound, message: "ssh is not installed on this machine; moor reaches \(host) through OpenSSH",
                              argv: wrapped.displayArgv)
        }
        // 255 is ssh's own failure (resolve, connect, authenticate), not the remote command's.
        if result.exitCode == 255 {
            let line = result.firstStderrLine.map { ": \($0)" } ?? ""
            throw SystemError(code: .unreachable,
                              message: "\(host) is unreachable over ssh (`ssh \(destination)`)\(line); check the host is up and `ssh \(destination)` works",
                              argv: command.displayArgv, exitCode: 255, stderrLine: result.firstStderrLine)
        }
        if result.exitCode == 127, result.stderrText.contains("command not found") || result.stderrText.contains("not found") {
            throw SystemError.notFound(command, host: host)
        }
        return result
    }
}

/// Serialises the first use of each ssh destination in this process, so `ControlMaster=auto`
/// sets up one master and every later command reuses it: one connection per host per run.
actor SSHConnectionGate {
    static let shared = SSHConnectionGate()

    private var opened: Set<String> = []
    private var busy: Set<String> = []
    private var waiters: [String: [CheckedContinuation<Void, Never>]] = [:]

    func run<T: Sendable>(key: String, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        if opened.contains(key) { return try await body() }
        if busy.contains(key) {
            await withCheckedContinuation { waiters[key, default: []].append($0) }
            return try await run(key: key, body)
        }
        busy.insert(key)
        do {
            let result = try await body()
            opened.insert(key)
            release(key)
            return result
        } catch {
            release(key)
            throw error
        }
    }

    private func release(_ key: String) {
        busy.remove(key)
        for waiter in waiters.removeValue(forKey: key) ?? [] { waiter.resume() }
    }
}
