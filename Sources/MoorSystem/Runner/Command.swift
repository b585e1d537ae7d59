import Foundation
import MoorCore

/// A process to start, as a value: never a shell string. Tools build these (see `Tools/`),
/// tests compare them as arrays, and one `CommandRunner` runs them.
public struct Command: Sendable, Equatable, CustomStringConvertible {
    public var executable: String
    public var arguments: [String]
    public var stdin: [UInt8]?
    /// Variables added to the inherited environment.
    public var environment: [String: String]
    /// When set, arguments and stdin are never logged or put in errors.
    public var redact: Bool
    public var timeout: Duration
    /// Read stdin from this file instead of `stdin` (streamed, never held in memory).
    public var stdinFile: String?
    /// Write stdout to this file (created 0600) instead of returning it (streamed).
    public var stdoutFile: String?

    public init(_ executable: String, _ arguments: [String], stdin: [UInt8]? = nil,
                environment: [String: String] = [:], redact: Bool = false, timeout: Duration = .seconds(120)) {
        self.executable = executable
        self.arguments = arguments
        self.stdin = stdin
        self.environment = environment
        self.redact = redact
        self.timeout = timeout
    }

    public var argv: [String] { [executable] + arguments }

    /// The argv for messages: redacted commands show only the tool and its first word.
    public var displayArgv: [String] {
        redact ? [executable] + arguments.prefix(1) + ["<redacted>"] : argv
    }

    public var description: String { displayArgv.joined(separator: " ") }
}

/// How a process ended, with what it printed.
public struct CommandResult: Sendable, Equatable {
    public var exitCode: Int32
    public var stdout: [UInt8]
    public var stderr: [UInt8]

    public init(exitCode: Int32, stdout: [UInt8] = [], stderr: [UInt8] = []) {
        self.exitCode = exitCode
        self.stdout = stdout
        self.stderr = stderr
    }

    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    public var stderrText: String { String(decoding: stderr, as: UTF8.self) }

    /// The first line of stderr with text on it: what a person needs to see of a failure.
    public var firstStderrLine: String? {
        stderrText.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .first { !$0.isEmpty }
    }
}

/// The only way moor starts a process.
public protocol CommandRunner: Sendable {
    /// Runs to completion; a non-zero exit is a result, not an error. Throws only when the
    /// process could not run at all (not found, timed out, unreachable host).
    func run(_ command: Command) async throws -> CommandResult

    /// Runs a command that prints as it goes (`docker events`), handing each stdout line to
    /// `line` as it arrives. The result's stdout is empty; stderr is kept (bounded).
    func stream(_ command: Command, line: @escaping @Sendable (String) async -> Void) async throws -> CommandResult
}

extension CommandRunner {
    /// For runners that cannot stream (test fakes): the lines once the command ends.
    public func stream(_ command: Command, line: @escaping @Sendable (String) async -> Void) async throws -> CommandResult {
        var result = try await run(command)
        for text in result.stdoutText.split(separator: "\n") { await line(String(text)) }
        result.stdout = []
        return result
    }
}

extension CommandRunner {
    /// Runs and demands exit status 0, else throws `MoorError.toolFailed`.
    public func output(_ command: Command, host: String? = nil) async throws -> String {
        let result = try await run(command)
        guard result.exitCode == 0 else { throw MoorError.toolFailed(command, result, host: host) }
        return result.stdoutText
    }
}
