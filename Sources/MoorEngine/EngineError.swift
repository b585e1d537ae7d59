/// Why the engine stopped, in words for the person at the terminal.
public struct EngineError: Error, Sendable, CustomStringConvertible, Equatable {
    public enum Code: String, Sendable {
        /// The change needs a flag the user did not give (`--allow-recreate`).
        case refused
        /// Preflight found the change cannot work (memory, driver).
        case preflight
        /// A change was made but observing again shows it did not take.
        case didNotTake
        /// The lab file lacks a section this command needs.
        case missingSection
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
