import MoorCore

/// The errors of running tools, as `MoorError`s with the argv, exit status and first stderr
/// line a person needs to act.
extension MoorError {
    public static func interrupted(_ command: Command) -> MoorError {
        MoorError(code: .interrupted, message: "interrupted while `\(command.description)` ran", argv: command.displayArgv)
    }

    static func on(_ host: String?) -> String { host.map { " on \($0)" } ?? "" }

    public static func toolFailed(_ command: Command, _ result: CommandResult, host: String? = nil) -> MoorError {
        let line = result.firstStderrLine
        let detail = line.map { ": \($0)" } ?? ""
        return MoorError(code: .toolFailed,
                         message: "`\(command.description)` failed\(on(host)) with exit status \(result.exitCode)\(detail)",
                         argv: command.displayArgv, exitCode: result.exitCode, stderrLine: line)
    }

    public static func toolMissing(_ command: Command, host: String? = nil) -> MoorError {
        MoorError(code: .toolMissing,
                  message: "\(command.executable) is not installed\(on(host)) (not found on PATH); install it or fix PATH",
                  argv: command.displayArgv)
    }

    public static func timedOut(_ command: Command, host: String? = nil) -> MoorError {
        MoorError(code: .timeout,
                  message: "`\(command.description)` did not finish\(on(host)) within \(command.timeout.seconds)s",
                  argv: command.displayArgv)
    }
}

extension Duration {
    /// Whole seconds for messages.
    public var seconds: Int64 { components.seconds }
}
