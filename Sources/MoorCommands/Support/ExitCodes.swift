import ArgumentParser
import Foundation
import MoorCore
import MoorEngine
import MoorSystem

/// Exit statuses, decided here and nowhere else.
public enum MoorExit {
    public static let ok: Int32 = 0
    public static let failure: Int32 = 1
    public static let pending: Int32 = 2
    public static let usage: Int32 = 64
    public static let invalidLabFile: Int32 = 65
}

/// The program: parse, run, and turn every error into one line on stderr and an exit code.
public enum MoorMain {
    public static func main(_ arguments: [String] = Array(CommandLine.arguments.dropFirst())) async -> Never {
        do {
            var command = try Moor.parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            exit(MoorExit.ok)
        } catch {
            exit(report(error))
        }
    }

    /// Prints the error the way a person at the terminal needs it and returns the status.
    static func report(_ error: any Error) -> Int32 {
        switch error {
        case let error as LabFileError:
            error.lines.forEach(Console.err)
            return MoorExit.invalidLabFile
        case let error as EngineError:
            Console.err("error: \(error.message)")
            return MoorExit.failure
        case let error as SystemError:
            Console.err("error: \(error.message)")
            return MoorExit.failure
        case let error as ToolOutputError:
            Console.err("error: \(error.description)")
            return MoorExit.failure
        case let error as CommandFailure:
            if let message = error.message { Console.err("error: \(message)") }
            return error.status
        case is CleanExit:
            Moor.exit(withError: error)
        default:
            let code = Moor.exitCode(for: error)
            // Help, version and usage errors: ArgumentParser prints them best.
            if code == .success || code.rawValue == MoorExit.usage {
                Moor.exit(withError: error)
            }
            Console.err("error: \(Moor.message(for: error))")
            return MoorExit.failure
        }
    }
}

/// A command that ends with a chosen status (2 for "changes pending") and maybe a message.
public struct CommandFailure: Error {
    public var status: Int32
    public var message: String?

    public init(status: Int32, message: String? = nil) {
        self.status = status
        self.message = message
    }
}
