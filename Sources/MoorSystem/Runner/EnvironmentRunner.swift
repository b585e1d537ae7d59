/// Adds variables to every command it runs (MINIKUBE_HOME for a cluster host, say).
public struct EnvironmentRunner: CommandRunner {
    public var base: any CommandRunner
    public var environment: [String: String]

    public init(base: any CommandRunner, environment: [String: String]) {
        self.base = base
        self.environment = environment
    }

    public func run(_ command: Command) async throws -> CommandResult {
        var command = command
        command.environment = environment.merging(command.environment) { _, new in new }
        return try await base.run(command)
    }

    public func stream(_ command: Command, line: @escaping @Sendable (String) async -> Void) async throws -> CommandResult {
        var command = command
        command.environment = environment.merging(command.environment) { _, new in new }
        return try await base.stream(command, line: line)
    }
}
