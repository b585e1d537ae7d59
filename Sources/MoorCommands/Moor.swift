import ArgumentParser

/// `moor`: run a homelab's cluster from one lab file.
public struct Moor: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "moor",
        abstract: "Run a homelab's Kubernetes cluster from one declarative file (moor.yaml).",
        discussion: """
            Exit codes: 0 success or in sync; 1 error; 2 plan: changes pending, check/doctor: something failed; 64 usage; 65 invalid lab file; 130 interrupted.
            State (journal, ssh sockets) lives in $MOOR_STATE_DIR, default $XDG_STATE_HOME/moor.
            """,
        version: "0.2.0",
        subcommands: [Validate.self, SchemaCommand.self, PlanCommand.self, Up.self, Migrate.self, Rollback.self, Status.self, CheckCommand.self, ProbeCommand.self, KubeconfigCommand.self, AppsCommand.self, SecretsCommand.self, MoveCommand.self, DoctorCommand.self, BackupCommand.self, BackupsCommand.self, WatchCommand.self, History.self, Demo.self])

    public init() {}
}
