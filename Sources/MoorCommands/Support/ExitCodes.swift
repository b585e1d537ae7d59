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
    /// The lab file cannot be opened (missing, unreadable, a directory): sysexits' EX_NOINPUT.
    public static let noInput: Int32 = 66
    /// Ctrl-C or SIGTERM, as shells report a SIGINT death.
    public static let interrupted: Int32 = 130

    /// Every `MoorError` code's exit status: the README's table, and nowhere else.
    public static func status(for code: MoorError.Code) -> Int32 {
        switch code {
        case .usage: usage
        case .invalidLabFile: invalidLabFile
        case .noInput: noInput
        case .interrupted: interrupted
        case .managedElsewhere: pending
        case .notFound, .fileMissing, .toolMissing, .unreadable, .tooLarge, .invalidInput, .refused, .didNotTake, .toolFailed,
             .badOutput, .unavailable, .unreachable, .timeout, .io, .busy, .failed: failure
        }
    }

    /// The status for an error, and the lines to print on stderr: `error: MESSAGE` (a lab
    /// file's problems positioned, one a line), and with `debug` the causes underneath.
    static func status(for error: any Error, debug: Bool = false) -> (Int32, [String]) {
        if let end = error as? CommandEnd {
            switch end {
            case .changesPending: return (pending, [])
            case .checksFailed: return (checksFailed, [])
            }
        }
        let moor = MoorError.from(error)
        var lines: [String]
        switch moor.code {
        case .interrupted: lines = ["moor: interrupted"]
        case .invalidLabFile where !moor.lines.isEmpty: lines = moor.lines
        default: lines = ["error: \(moor.message)"]
        }
        if debug { lines += moor.causeChain.map { "debug: caused by: \($0)" } }
        return (status(for: moor.code), lines)
    }
}

/// How a command ends when it does not simply succeed, and is not an error: the answer is
/// "something is pending" or "something failed a check".
public enum CommandEnd: Error, Equatable {
    case changesPending
    case checksFailed
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
            usageExit(error)
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
        if !ownsSignals { Interrupts.install { work.cancel() } }
        do {
            try await work.value
            exit(MoorExit.ok)
        } catch let error where error is CleanExit || Moor.exitCode(for: error) == .success {
            Moor.exit(withError: error)
        } catch {
            if Moor.exitCode(for: error).rawValue == MoorExit.usage, !(error is CommandEnd), !(error is MoorError) { usageExit(error) }
            let (status, lines) = MoorExit.status(for: error, debug: arguments.contains("--debug"))
            lines.forEach(Console.err)
            exit(status)
        }
    }

    /// Help and version as ArgumentParser prints them; a usage error in moor's own form:
    /// `error: MESSAGE`, then the usage line, exit 64.
    static func usageExit(_ error: any Error) -> Never {
        let code = Moor.exitCode(for: error)
        guard code.rawValue == MoorExit.usage else { Moor.exit(withError: error) }
        var lines = Moor.fullMessage(for: error).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if let first = lines.first, first.hasPrefix("Error: ") { lines[0] = "error: " + first.dropFirst("Error: ".count) }
        lines.forEach(Console.err)
        exit(MoorExit.usage)
    }
}
