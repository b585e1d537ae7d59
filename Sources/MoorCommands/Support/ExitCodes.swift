import ArgumentParser
import Foundation
import MoorCore
import MoorEngine
import MoorSystem

/// Exit statuses, decided here and nowhere else.
public enum MoorExit {
    public static let ok: Int32 = 0
    public static let failure: Int32 = 1
    /// `plan`, `secrets status`: changes pending.
    public static let pending: Int32 = 2
    /// `check`: at least one check failed.
    public static let checksFailed: Int32 = 2
    public static let usage: Int32 = 64
    public static let invalidLabFile: Int32 = 65
    /// Ctrl-C or SIGTERM, as shells report a SIGINT death.
    public static let interrupted: Int32 = 130

    /// The status for an error, and the line (if any) to print on stderr.
    static func status(for error: any Error) -> (Int32, [String]) {
        if Interrupted.means(error) { return (interrupted, ["moor: interrupted"]) }
        switch error {
        case let error as LabFileError: return (invalidLabFile, error.lines)
        case let error as EngineError: return (failure, ["error: \(error.message)"])
        case let error as SystemError: return (failure, ["error: \(error.message)"])
        case let error as ToolOutputError: return (failure, ["error: \(error.description)"])
        case let end as CommandEnd:
            switch end {
            case .changesPending: return (pending, [])
            case .checksFailed: return (checksFailed, [])
            case .failed(let message): return (failure, ["error: \(message)"])
            case .usage(let message): return (usage, ["error: \(message)"])
            }
        default: return (failure, ["error: \(Moor.message(for: error))"])
        }
    }
}

/// How a command ends when it does not simply succeed.
public enum CommandEnd: Error, Equatable {
    case changesPending
    case checksFailed
    case failed(String)
    case usage(String)
}

/// A command that handles SIGINT and SIGTERM itself (`watch` shuts down gracefully and exits 0).
protocol HandlesOwnSignals: SendableMetatype {}

/// The program: parse, run with Ctrl-C and SIGTERM cancelling the work, and turn every error
/// into lines on stderr and an exit status.
public enum MoorMain {
    public static func main(_ arguments: [String] = Array(CommandLine.arguments.dropFirst())) async -> Never {
        var command: any ParsableCommand
        do {
            command = try Moor.parseAsRoot(arguments)
        } catch {
            Moor.exit(withError: error)
        }
        let ownsSignals = command is any HandlesOwnSignals
        let work = Task { [command] in
            var command = command
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        }
        let signals = ownsSignals ? [] : Interrupts.install { work.cancel() }
        defer { _ = signals }
        do {
            try await work.value
            exit(MoorExit.ok)
        } catch let error where error is CleanExit || Moor.exitCode(for: error) == .success {
            Moor.exit(withError: error)
        } catch {
            if Moor.exitCode(for: error).rawValue == MoorExit.usage, !(error is CommandEnd) { Moor.exit(withError: error) }
            let (status, lines) = MoorExit.status(for: error)
            lines.forEach(Console.err)
            exit(status)
        }
    }
}
