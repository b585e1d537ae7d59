import Foundation
import Logging

/// Logs each command (argv, redacted where asked), its exit status and duration.
public struct DebugRunner: CommandRunner {
    public var base: any CommandRunner
    public var logger: Logger

    public init(base: any CommandRunner, logger: Logger) {
        self.base = base
        self.logger = logger
    }

    public func run(_ command: Command) async throws -> CommandResult {
        let clock = ContinuousClock()
        let start = clock.now
        do {
            let result = try await base.run(command)
            let elapsed = start.duration(to: clock.now)
            logger.debug("ran command", metadata: [
                "argv": .array(command.displayArgv.map { .string($0) }),
                "exit": .stringConvertible(result.exitCode),
                "ms": .stringConvertible(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000),
            ])
            return result
        } catch {
            logger.debug("command failed to run", metadata: ["argv": .array(command.displayArgv.map { .string($0) }), "error": "\(error)"])
            throw error
        }
    }

    public func stream(_ command: Command, line: @escaping @Sendable (String) async -> Void) async throws -> CommandResult {
        logger.debug("streaming command", metadata: ["argv": .array(command.displayArgv.map { .string($0) })])
        let result = try await base.stream(command, line: line)
        logger.debug("stream ended", metadata: ["argv": .array(command.displayArgv.map { .string($0) }), "exit": .stringConvertible(result.exitCode)])
        return result
    }
}
