/// A line and column in a text file, both counted from 1.
public struct SourcePosition: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public static let start = SourcePosition(line: 1, column: 1)

    public var description: String { "\(line):\(column)" }

    public static func < (a: SourcePosition, b: SourcePosition) -> Bool {
        (a.line, a.column) < (b.line, b.column)
    }
}

/// One problem in a lab file, at a position.
public struct Diagnostic: Error, Sendable, Hashable {
    public var position: SourcePosition
    public var message: String

    public init(_ position: SourcePosition, _ message: String) {
        self.position = position
        self.message = message
    }

    /// `FILE:LINE:COL: error: MESSAGE`, the form editors and CI logs understand.
    public func rendered(file: String) -> String {
        "\(file):\(position.line):\(position.column): error: \(message)"
    }
}

/// A lab file that could not be loaded; carries every problem found, in file order.
public struct LabFileError: Error, Sendable {
    public var file: String
    public var diagnostics: [Diagnostic]

    public init(file: String, diagnostics: [Diagnostic]) {
        self.file = file
        self.diagnostics = diagnostics.sorted { $0.position < $1.position }
    }

    public var lines: [String] { diagnostics.map { $0.rendered(file: file) } }
}

extension LabFileError: MoorErrorConvertible {
    public var moorError: MoorError {
        MoorError(code: .invalidLabFile, message: lines.first ?? "\(file): invalid lab file", lines: lines)
    }
}
