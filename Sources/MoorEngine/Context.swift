import MoorJournal
import MoorProbe
import MoorSystem

/// Where progress lines go (stderr in the CLI); data never goes here.
public protocol ProgressReporter: Sendable {
    func note(_ line: String)
}

public struct SilentProgress: ProgressReporter {
    public init() {}
    public func note(_ line: String) {}
}

/// Everything a command needs from the outside world, built once and passed in. Engines
/// reach processes, probes, the journal, time, the environment and files only through it;
/// tests build one with fakes, the CLI builds the live one.
public struct MoorContext: Sendable {
    /// Runs processes on this machine; remote hosts wrap it in `SSHRunner`.
    public var runner: any CommandRunner
    public var prober: any Prober
    public var journal: any Journal
    public var clock: any MoorClock
    /// The environment moor was started with (`$KUBECONFIG`, `env://` references, `$HOME`).
    public var environment: [String: String]
    public var files: any FileAccess
    public var progress: any ProgressReporter
    /// `$MOOR_STATE_DIR`; ssh control sockets live in `ssh/` below it (see `sshControlDirectory`).
    public var stateDirectory: String
    /// Extra ssh options for every remote host (tests: port, key, known-hosts file).
    public var sshOptions: [String]
    /// Which backup `up` restores into a cluster it creates (`--restore`, `--no-restore`).
    public var restore: RestoreChoice = .newest

    public init(runner: any CommandRunner, prober: any Prober = LiveProber(), journal: any Journal,
                clock: any MoorClock = SystemClock(), environment: [String: String] = [:], files: any FileAccess = LocalFiles(),
                progress: any ProgressReporter = SilentProgress(), stateDirectory: String, sshOptions: [String] = []) {
        self.runner = runner
        self.prober = prober
        self.journal = journal
        self.clock = clock
        self.environment = environment
        self.files = files
        self.progress = progress
        self.stateDirectory = stateDirectory
        self.sshOptions = sshOptions
    }

    /// The ssh control sockets' directory: `ssh/` under the state directory, or a short one
    /// under /tmp when that path would not fit a socket address (`SSHControlPath`).
    public var sshControlDirectory: String { SSHControlPath.directory(stateDirectory: stateDirectory, uid: Files.userID) }

    /// `$HOME` as moor was started with it.
    public var home: String { environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? Files.homeDirectory }
}
