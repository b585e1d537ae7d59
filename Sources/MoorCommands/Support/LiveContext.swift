import Foundation
import Logging
import MoorEngine
import MoorJournal
import MoorProbe
import MoorSystem

/// Builds the production context: real processes and probes, the journal under the state
/// directory, the system clock, the environment moor was started with.
enum LiveContext {
    /// `$MOOR_STATE_DIR`, else `$XDG_STATE_HOME/moor`, else `~/.local/state/moor`.
    static func stateDirectory(_ environment: [String: String]) -> String {
        if let dir = environment["MOOR_STATE_DIR"], !dir.isEmpty { return dir }
        if let xdg = environment["XDG_STATE_HOME"], !xdg.isEmpty { return xdg + "/moor" }
        return (environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? Files.homeDirectory) + "/.local/state/moor"
    }

    static func make(_ options: GlobalOptions) throws -> MoorContext {
        try make(debug: options.debug, quiet: options.output == .json)
    }

    /// `extraEnvironment` is added to every command moor starts (the demo's PATH).
    static func make(debug: Bool, quiet: Bool, extraEnvironment: [String: String] = [:], stateDirectory: String? = nil) throws -> MoorContext {
        let environment = ProcessInfo.processInfo.environment
        let state = stateDirectory ?? Self.stateDirectory(environment)
        try Files.ensureDirectory(state)
        try Files.ensureOwnDirectory(SSHControlPath.directory(stateDirectory: state, uid: Files.userID))
        let journalPath = state + "/journal.sqlite"
        let journal = try SQLiteJournal(path: journalPath)
        chmod(journalPath, 0o600)
        var runner: any CommandRunner = LocalRunner(environment: extraEnvironment)
        if debug {
            var logger = Logger(label: "moor") { StreamLogHandler.standardError(label: $0) }
            logger.logLevel = .debug
            runner = DebugRunner(base: runner, logger: logger)
        }
        let progress: any ProgressReporter = quiet && !debug ? SilentProgress() : StderrProgress()
        return MoorContext(runner: runner, prober: LiveProber(), journal: journal, environment: environment,
                           progress: progress, stateDirectory: state)
    }
}
