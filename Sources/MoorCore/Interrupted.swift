/// An error that may mean "stopped by the user or the system" (Ctrl-C, SIGTERM) rather than
/// "went wrong": the journal marks such runs `interrupted` and moor exits 130.
public protocol MaybeInterruption: Error {
    var isInterruption: Bool { get }
}

public enum Interrupted {
    public static func means(_ error: any Error) -> Bool {
        error is CancellationError || (error as? any MaybeInterruption)?.isInterruption == true
    }
}
