import Foundation
import Subprocess
#if canImport(System)
import System
#else
import SystemPackage
#endif

/// A process that runs while some work is done, then is stopped (the demo's API emulator).
public enum Background {
    public static func run<T: Sendable>(_ command: Command, while body: @Sendable () async throws -> T) async throws -> T {
        var updates: [Environment.Key: String?] = [:]
        for (key, value) in command.environment { updates[Environment.Key(stringLiteral: key)] = value }
        let result = try await Subprocess.run(.path(FilePath(command.executable)), arguments: Arguments(command.arguments),
                                              environment: .inherit.updating(updates), input: .none, output: .discarded,
                                              error: .discarded) { execution in
            let value: Result<T, any Error>
            do { value = .success(try await body()) } catch { value = .failure(error) }
            try? execution.send(signal: .terminate)
            return value
        }
        return try result.closureResult.get()
    }
}
