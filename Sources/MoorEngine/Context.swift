import MoorJournal
import MoorSystem

/// Where progress lines go (stderr in the CLI); data never goes here.
public protocol ProgressReporter: Sendable {
    func note(_ line: String)
}

public struct SilentProgress: ProgressReporter {
    public init() {}
    public func note(_ line: String) {}
}

/// Everything a command needs from the outside world, passed in once. Tests build one
/// with fakes; the CLI builds the live one.
public struct MoorContext: Sendable {
    /// Runs processes on this machine; remote hosts wrap it in `SSHRunner`.
    public var runner: any CommandRunner
    public var journal: any Journal
    public var progress: any ProgressReporter
    /// `$MOOR_STATE_DIR`; ssh control sockets live in `ssh/` below it.
    public var stateDirectory: String
    /// Extra ssh options for every remote host (tests: port, key, known-hosts file).
    public var sshOptions: [String]

    public init(runner: any CommandRunner, journal: any Journal, progress: any ProgressReporter = SilentProgress(),
                stateDirectory: String, sshOptions: [String] = []) {
        self.runner = runner
        self.journal = journal
        self.progress = progress
        self.stateDirectory = stateDirectory
        self.sshOptions = sshOptions
    }
}
