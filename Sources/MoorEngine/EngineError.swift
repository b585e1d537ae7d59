import MoorCore

/// Why the engine stopped, in words for the person at the terminal, with a code that says
/// what kind of problem it is. Exit statuses are decided from the code, in one place.
public struct EngineError: Error, Sendable, CustomStringConvertible, Equatable, MaybeInterruption {
    public enum Code: String, Sendable {
        /// Something the command names is not there (an Application, a template, a run).
        case notFound
        /// A file is there but cannot be used (unreadable, too large, not what it should be).
        case unreadable
        /// The lab file or the arguments ask for something this command cannot do.
        case invalidInput
        /// A change needs a flag the user did not give, or preflight found it cannot work.
        case refused
        /// A change was made but observing again shows it did not take.
        case didNotTake
        /// A tool's answer said no (an apply that failed, an app that did not sync).
        case toolFailed
        /// A value moor needs is not available here (an environment variable, a 1Password item).
        case unavailable
        /// Ctrl-C or SIGTERM.
        case interrupted
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
    public var isInterruption: Bool { code == .interrupted }
}
