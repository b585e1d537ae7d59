/// The one error type a user of moor meets: what kind of problem it is (`code`), one line in
/// words naming the object and, where there is one, the next step (`message`), and the error
/// underneath it (`cause`), which only `--debug` shows. Modules may keep small errors of their
/// own; they become a `MoorError` at the boundary (`MoorErrorConvertible`). The exit status is
/// derived from the code in one place (`MoorExit`).
public struct MoorError: Error, Sendable, CustomStringConvertible, MaybeInterruption {
    public enum Code: String, Sendable, CaseIterable {
        /// The command line asks for something moor does not take.
        case usage
        /// The lab file does not load: every problem is positioned.
        case invalidLabFile
        /// The lab file cannot be opened: missing, unreadable, or a directory.
        case noInput
        /// Something the command names is not there (an Application, a template, a run).
        case notFound
        /// A file that should be there is not.
        case fileMissing
        /// A tool is not installed (not on PATH, here or on a remote host).
        case toolMissing
        /// A file is there but cannot be used (unreadable, not what it should be).
        case unreadable
        /// A file is larger than moor reads.
        case tooLarge
        /// The lab file or the arguments ask for something this command cannot do.
        case invalidInput
        /// A change needs a flag the user did not give, or preflight found it cannot work.
        case refused
        /// A change was made but observing again shows it did not take.
        case didNotTake
        /// A tool's answer said no (an apply that failed, an app that did not sync).
        case toolFailed
        /// A tool answered with output moor cannot read.
        case badOutput
        /// A value or a resource moor needs is not available here (an environment variable,
        /// a 1Password item, a port).
        case unavailable
        /// A host does not answer.
        case unreachable
        case timeout
        /// Reading or writing failed.
        case io
        /// Another moor is changing the same cluster.
        case busy
        /// Ctrl-C or SIGTERM.
        case interrupted
        /// Anything else (the message says what).
        case failed
        /// A file moor would write belongs to another configuration manager (Nix, a
        /// read-only mount): the message holds the content the lab file asks for.
        case managedElsewhere
    }

    public var code: Code
    public var message: String
    /// The error underneath, for `--debug`; never printed on its own.
    public var cause: (any Error & Sendable)?
    /// A failed tool: its argv (secrets redacted), exit status and first stderr line.
    public var argv: [String]
    public var exitCode: Int32?
    public var stderrLine: String?
    /// Extra lines that belong to the message (a lab file's positioned problems).
    public var lines: [String]

    public init(_ code: Code, _ message: String, cause: (any Error & Sendable)? = nil) {
        self.init(code: code, message: message)
        self.cause = cause
    }

    public init(code: Code, message: String, argv: [String] = [], exitCode: Int32? = nil, stderrLine: String? = nil,
                lines: [String] = [], cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.argv = argv
        self.exitCode = exitCode
        self.stderrLine = stderrLine
        self.lines = lines
        self.cause = cause
    }

    public var description: String { message }
    public var isInterruption: Bool { code == .interrupted }

    /// Any error as a `MoorError`: itself, a module error's conversion, a cancellation, or an
    /// unexpected error whose text is kept for `--debug` only.
    public static func from(_ error: any Error) -> MoorError {
        switch error {
        case let error as MoorError: return error
        case let error as any MoorErrorConvertible: return error.moorError
        case is CancellationError: return MoorError(.interrupted, "interrupted")
        default:
            return MoorError(.failed, "an unexpected error stopped moor; run it again with --debug to see it",
                             cause: UnexpectedError(text: String(reflecting: error)))
        }
    }

    /// The cause chain in words, for `--debug`.
    public var causeChain: [String] {
        var chain: [String] = []
        var next = cause
        while let current = next, chain.count < 8 {
            if let moor = current as? MoorError {
                chain.append(moor.message)
                next = moor.cause
            } else {
                chain.append(String(reflecting: current))
                next = nil
            }
        }
        return chain
    }
}

extension MoorError: Equatable {
    /// Two errors are the same problem when code, message and tool details agree; the cause is
    /// not compared.
    public static func == (a: MoorError, b: MoorError) -> Bool {
        (a.code, a.message, a.argv, a.exitCode, a.stderrLine, a.lines) == (b.code, b.message, b.argv, b.exitCode, b.stderrLine, b.lines)
    }
}

/// A module's own error that knows which `MoorError` it is.
public protocol MoorErrorConvertible: Error {
    var moorError: MoorError { get }
}

/// What an error outside moor's types said, kept for `--debug`.
public struct UnexpectedError: Error, Sendable, CustomStringConvertible {
    public var text: String
    public var description: String { text }
}
