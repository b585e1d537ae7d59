import Dispatch
import Foundation

/// SIGINT and SIGTERM cancel the running command: its child processes are torn down, the
/// journal marks the run `interrupted`, and moor exits 130. A second signal, or a command
/// still running two seconds later, exits at once.
enum Interrupts {
    static func install(_ cancel: @escaping @Sendable () -> Void) -> [any DispatchSourceSignal] {
        let queue = DispatchQueue(label: "moor.signals")
        let count = Counter()
        return [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler {
                if count.next() > 1 { exit(MoorExit.interrupted) }
                cancel()
                queue.asyncAfter(deadline: .now() + 2) { exit(MoorExit.interrupted) }
            }
            source.resume()
            return source
        }
    }

    final class Counter: @unchecked Sendable {
        private var value = 0
        private let lock = NSLock()
        func next() -> Int { lock.withLock { value += 1; return value } }
    }
}
