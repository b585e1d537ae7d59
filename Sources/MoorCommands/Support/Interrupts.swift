import Dispatch
import Foundation

/// SIGINT and SIGTERM cancel the running command: its child processes are torn down, the
/// journal marks the run `interrupted`, and moor exits 130. A second signal, or a command
/// still running two seconds later, exits at once.
///
/// The signal sources live in static storage for the life of the process. They are never
/// held by a local: Swift may end a local's lifetime after its last use, and in an optimized
/// build the sources were freed right after they were made, so Ctrl-C did nothing.
enum Interrupts {
    private static let queue = DispatchQueue(label: "moor.signals")
    private static let sources = Sources()

    /// Installs the handlers once; `cancel` is what the first signal does.
    static func install(_ cancel: @escaping @Sendable () -> Void) {
        sources.install(queue: queue, cancel: cancel)
    }

    final class Sources: @unchecked Sendable {
        private var held: [any DispatchSourceSignal] = []
        private var signals = 0
        private let lock = NSLock()

        func install(queue: DispatchQueue, cancel: @escaping @Sendable () -> Void) {
            lock.withLock {
                guard held.isEmpty else { return }
                held = [SIGINT, SIGTERM].map { number in
                    signal(number, SIG_IGN)
                    let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
                    source.setEventHandler {
                        if self.next() > 1 { exit(MoorExit.interrupted) }
                        cancel()
                        queue.asyncAfter(deadline: .now() + 2) { exit(MoorExit.interrupted) }
                    }
                    source.resume()
                    return source
                }
            }
        }

        private func next() -> Int { lock.withLock { signals += 1; return signals } }
    }
}
