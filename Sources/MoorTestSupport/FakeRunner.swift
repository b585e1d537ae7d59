import Foundation
import MoorSystem

/// A runner that answers from a script of handlers and records every command. A command
/// nobody scripted fails loudly, so a test never passes by accident.
public final class FakeRunner: CommandRunner, @unchecked Sendable {
    public typealias Handler = @Sendable (Command) throws -> CommandResult

    private let lock = NSLock()
    private var handlers: [(prefix: [String], handler: Handler)] = []
    private var recorded: [Command] = []

    public init() {}

    /// Answers commands whose argv starts with `prefix`; later registrations win.
    public func on(_ prefix: [String], _ handler: @escaping Handler) {
        lock.withLock { handlers.insert((prefix, handler), at: 0) }
    }

    public func on(_ prefix: [String], exit: Int32 = 0, stdout: String = "", stderr: String = "") {
        on(prefix) { _ in CommandResult(exitCode: exit, stdout: Array(stdout.utf8), stderr: Array(stderr.utf8)) }
    }

    public var commands: [Command] { lock.withLock { recorded } }

    public func run(_ command: Command) async throws -> CommandResult {
        let handler: Handler? = lock.withLock {
            recorded.append(command)
            return handlers.first { command.argv.starts(with: $0.prefix) }?.handler
        }
        guard let handler else { throw UnexpectedCommand(argv: command.argv) }
        return try handler(command)
    }
}

public struct UnexpectedCommand: Error, CustomStringConvertible {
    public var argv: [String]
    public var description: String { "the test did not expect `\(argv.joined(separator: " "))`" }
}
