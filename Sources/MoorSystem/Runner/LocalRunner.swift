import Foundation
import Subprocess
#if canImport(System)
import System
#else
import SystemPackage
import MoorCore
#endif

/// Runs commands on this machine, reading stdout and stderr while the process runs (no
/// deadlock on full pipes), with a time limit and teardown when the task is cancelled.
public struct LocalRunner: CommandRunner {
    /// Added to every command's environment (the demo points PATH at its stand-ins).
    public var environment: [String: String]
    public var outputLimit: Int

    public init(environment: [String: String] = [:], outputLimit: Int = 32 << 20) {
        self.environment = environment
        self.outputLimit = outputLimit
    }

    public func run(_ command: Command) async throws -> CommandResult {
        let (executable, updates) = try prepare(command)
        return try await run(command, executable, updates)
    }

    /// The executable, resolved against the PATH the command will get (not the one moor
    /// started with), and the environment changes it runs with.
    func prepare(_ command: Command) throws -> (Executable, [Environment.Key: String?]) {
        let merged = environment.merging(command.environment) { _, new in new }
        var updates: [Environment.Key: String?] = [:]
        for (key, value) in merged { updates[Environment.Key(stringLiteral: key)] = value }
        if command.executable.contains("/") { return (.path(FilePath(command.executable)), updates) }
        guard let path = merged["PATH"] else { return (.name(command.executable), updates) }
        guard let resolved = Self.lookup(command.executable, in: path) else { throw MoorError.toolMissing(command) }
        return (.path(FilePath(resolved)), updates)
    }

    static func exitCode(_ status: TerminationStatus) -> Int32 {
        switch status {
        case .exited(let status): status
        case .signaled(let signal): 128 + signal
        }
    }

    /// What a failure to run means to moor; a process torn down by cancellation is an interrupt.
    static func failure(_ error: SubprocessError, _ command: Command, limit: Int) -> MoorError {
        if Task.isCancelled { return MoorError.interrupted(command) }
        switch error.code {
        case .executableNotFound: return MoorError.toolMissing(command)
        case .outputLimitExceeded:
            return MoorError(code: .io, message: "`\(command.description)` printed more than \(limit >> 20) MiB", argv: command.displayArgv)
        default:
            return MoorError(code: .io, message: "could not run `\(command.description)`: \(error)", argv: command.displayArgv)
        }
    }

    /// Ctrl-C: SIGTERM, then SIGKILL half a second later, so moor exits within about a second.
    static var teardown: PlatformOptions {
        var options = PlatformOptions()
        options.teardownSequence = [.gracefulShutDown(allowedDurationToNextStep: .milliseconds(500))]
        return options
    }

    public func stream(_ command: Command, line: @escaping @Sendable (String) async -> Void) async throws -> CommandResult {
        let (executable, updates) = try prepare(command)
        do {
            let result = try await Subprocess.run(
                executable, arguments: Arguments(command.arguments), environment: .inherit.updating(updates),
                platformOptions: Self.teardown, input: .none, output: .sequence, error: .bytes(limit: 1 << 20)
            ) { execution in
                for try await text in execution.standardOutput.strings() { await line(text) }
            }
            if Task.isCancelled { throw MoorError.interrupted(command) }
            return CommandResult(exitCode: Self.exitCode(result.terminationStatus), stderr: result.standardError)
        } catch is CancellationError {
            throw MoorError.interrupted(command)
        } catch let error as SubprocessError {
            throw Self.failure(error, command, limit: 1 << 20)
        }
    }

    private func run(_ command: Command, _ executable: Executable, _ updates: [Environment.Key: String?]) async throws -> CommandResult {
        let options = Self.teardown
        let limit = outputLimit
        let work: @Sendable () async throws -> CommandResult = {
            // Streams to and from files keep moor's memory bounded whatever the size (a backup).
            let stdinFile = try command.stdinFile.map { try FileDescriptor.open(FilePath($0), .readOnly) }
            let stdoutFile = try command.stdoutFile.map {
                try FileDescriptor.open(FilePath($0), .writeOnly, options: [.create, .truncate], permissions: [.ownerReadWrite])
            }
            func spawn<I: InputProtocol, O: OutputProtocol>(_ input: I, _ output: O, _ bytes: (O.OutputType) -> [UInt8]) async throws -> CommandResult {
                let result = try await Subprocess.run(
                    executable, arguments: Arguments(command.arguments), environment: .inherit.updating(updates),
                    platformOptions: options, input: input, output: output, error: .bytes(limit: limit))
                return CommandResult(exitCode: Self.exitCode(result.terminationStatus), stdout: bytes(result.standardOutput), stderr: result.standardError)
            }
            switch (stdinFile, stdoutFile) {
            case (let input?, let output?):
                return try await spawn(.fileDescriptor(input, closeAfterSpawningProcess: true), .fileDescriptor(output, closeAfterSpawningProcess: true)) { _ in [] }
            case (let input?, nil):
                return try await spawn(.fileDescriptor(input, closeAfterSpawningProcess: true), .bytes(limit: limit)) { $0 }
            case (nil, let output?):
                return try await spawn(.array(command.stdin ?? []), .fileDescriptor(output, closeAfterSpawningProcess: true)) { _ in [] }
            case (nil, nil):
                return try await spawn(.array(command.stdin ?? []), .bytes(limit: limit)) { $0 }
            }
        }
        do {
            return try await withThrowingTaskGroup(of: CommandResult?.self) { group in
                group.addTask { try await work() }
                group.addTask {
                    try await Task.sleep(for: command.timeout)
                    return nil
                }
                defer { group.cancelAll() }
                guard let first = try await group.next(), let result = first else {
                    throw MoorError.timedOut(command)
                }
                // A process ended by our own teardown is not a result to act on.
                if Task.isCancelled { throw MoorError.interrupted(command) }
                return result
            }
        } catch is CancellationError {
            throw MoorError.interrupted(command)
        } catch let error as MoorError where error.code == .timeout && Task.isCancelled {
            throw MoorError.interrupted(command)
        } catch let error as SubprocessError {
            throw Self.failure(error, command, limit: limit)
        }
    }

    public static func lookup(_ name: String, in path: String) -> String? {
        for directory in path.split(separator: ":") where !directory.isEmpty {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
