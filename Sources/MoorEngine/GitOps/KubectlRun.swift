import MoorCore
import MoorSystem

/// Runs a kubectl command and, when the context is unknown here, says how to get it.
enum KubectlRun {
    static func output(_ command: Command, runner: any CommandRunner, context: String?) async throws -> String {
        do {
            return try await runner.output(command)
        } catch var error as MoorError where error.code == .toolFailed {
            let line = (error.stderrLine ?? "").lowercased()
            if let context, line.contains("context") && (line.contains("not found") || line.contains("does not exist")) {
                error.message += "; this machine's kubeconfig has no context \(context): run `moor kubeconfig --merge` (or set kubeContext)"
            }
            throw error
        }
    }
}
