import Foundation
import Logging
import MoorEngine
import MoorJournal
import MoorSystem

/// Builds the production context: real processes, the journal under the state directory.
enum LiveContext {
    /// `$MOOR_STATE_DIR`, else `$XDG_STATE_HOME/moor`, else `~/.local/state/moor`.
    static func stateDirectory(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let dir = environment["MOOR_STATE_DIR"], !dir.isEmpty { return dir }
        if let xdg = environment["XDG_STATE_HOME"], !xdg.isEmpty { return xdg + "/moor" }
        return Files.homeDirectory + "/.local/state/moor"
    }

    static func make(_ options: GlobalOptions, environment: [String: String] = [:]) throws -> MoorContext {
        try make(debug: options.debug, quiet: options.output == .json, environment: environment)
    }

    static func make(debug: Bool, quiet: Bool, environment: [String: String] = [:], stateDirectory: String? = nil) throws -> MoorContext {
        let state = stateDirectory ?? Self.stateDirectory()
        try Files.ensureDirectory(state)
        try Files.ensureDirectory(state + "/ssh")
        let journalPath = state + "/journal.sqlite"
        let journal = try SQLiteJournal(path: journalPath)
        chmod(journalPath, 0o600)
        var runner: any CommandRunner = LocalRunner(environment: environment)
        if debug {
            var logger = Logger(label: "moor") { StreamLogHandler.standardError(label: $0) }
            logger.logLevel = .debug
            runner = DebugRunner(base: runner, logger: logger)
        }
        let progress: any ProgressReporter = quiet && !debug ? SilentProgress() : StderrProgress()
        return MoorContext(runner: runner, journal: journal, progress: progress, stateDirectory: state)
    }
}
