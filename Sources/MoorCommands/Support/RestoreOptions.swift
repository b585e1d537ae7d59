import ArgumentParser
import MoorEngine

/// `--no-restore` and `--restore ID` of `plan` and `up`: which backup goes back into a
/// cluster `up` creates (the newest verified one unless told).
struct RestoreOptions: ParsableArguments {
    @Flag(help: "When `up` creates a cluster the journal has a backup of, do not restore it.")
    var noRestore = false

    @Option(help: "Restore this backup (see `moor backups`) instead of the newest when `up` creates the cluster.")
    var restore: String?

    func validate() throws {
        if noRestore, restore != nil { throw ValidationError("--no-restore and --restore contradict each other; keep one") }
    }

    var choice: RestoreChoice {
        if noRestore { return .none }
        return restore.map { .id($0) } ?? .newest
    }
}
