import MoorCore

/// Everything that goes wrong while running tools, with what a person needs to act.
public struct SystemError: Error, Sendable, CustomStringConvertible, Equatable, MaybeInterruption {
    public enum Code: String, Sendable {
        /// A tool is not installed (not on PATH, here or on a remote host).
        case notFound
        case timeout, toolFailed, unreachable, io
        /// A file that should be there is not.
        case missingFile
        /// A file is there but cannot be read (permissions, a directory).
        case unreadable
        /// A file is larger than moor reads.
        case tooLarge
        /// The user (Ctrl-C) or the system (SIGTERM) stopped the command.
        case interrupted
    }

    public var code: Code
    public var message: String
    public var argv: [String]
    public var exitCode: Int32?
    public var stderrLine: String?

    public init(code: Code, message: String, argv: [String] = [], exitCode: Int32? = nil, stderrLine: String? = nil) {
        self.code = code
        self.message = message
        self.argv = argv
        self.exitCode = exitCode
        self.stderrLine = stderrLine
    }

    public var description: String { message }

    public var isInterruption: Bool { code == .interrupted }

    public static func interrupted(_ command: Command) -> SystemError {
        SystemError(code: .interrupted, message: "interrupted while `\(command.description)` ran", argv: command.displayArgv)
    }

    static func on(_ host: String?) -> String { host.map { " on \($0)" } ?? "" }

    public static func toolFailed(_ command: Command, _ result: CommandResult, host: String? = nil) -> SystemError {
        let line = result.firstStderrLine
        let detail = line.map { ": \($0)" } ?? ""
        return SystemError(code: .toolFailed,
                           message: "`\(command.description)` failed\(on(host)) with exit status \(result.exitCode)\(detail)",
                           argv: command.displayArgv, exitCode: result.exitCode, stderrLine: line)
    }

    public static func notFound(_ command: Command, host: String? = nil) -> SystemError {
        SystemError(code: .notFound,
                    message: "\(command.executable) is not installed\(on(host)) (not found on PATH); install it or fix PATH",
                    argv: command.displayArgv)
    }

    public static func timedOut(_ command: Command, host: String? = nil) -> SystemError {
        SystemError(code: .timeout,
                    message: "`\(command.description)` did not finish\(on(host)) within \(command.timeout.seconds)s",
                    argv: command.displayArgv)
    }
}

extension Duration {
    /// Whole seconds for messages.
    public var seconds: Int64 { components.seconds }
}
