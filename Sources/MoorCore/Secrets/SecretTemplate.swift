/// An `op inject`-style template: references are `{{ op://… }}` (spaces inside allowed),
/// or bare `op://…` not glued to a preceding word; `{{ "…" }}` is literal text.
public struct SecretTemplate: Sendable {
    public let text: String

    enum Piece {
        case text(String)
        case reference(SecretReference)
    }

    let pieces: [Piece]

    public init(_ text: String) {
        self.text = text
        pieces = Self.scan(text)
    }

    /// The references in order of appearance (repeats included).
    public var references: [SecretReference] {
        pieces.compactMap { if case .reference(let reference) = $0 { return reference } else { return nil } }
    }

    /// The template with each reference replaced by `value(reference)`.
    public func render(_ value: (SecretReference) throws -> String) rethrows -> String {
        var out = ""
        for piece in pieces {
            switch piece {
            case .text(let text): out += text
            case .reference(let reference): out += try value(reference)
            }
        }
        return out
    }

    static func scan(_ text: String) -> [Piece] {
        var pieces: [Piece] = []
        var buffer = ""
        var rest = Substring(text)
        func flush() {
            if !buffer.isEmpty { pieces.append(.text(buffer)); buffer = "" }
        }
        while !rest.isEmpty {
            if rest.hasPrefix("{{") {
                let afterOpen = rest.dropFirst(2).drop { $0 == " " }
                if afterOpen.hasPrefix("\""), let literal = Self.literal(afterOpen) {
                    buffer += literal.text
                    rest = literal.rest
                    continue
                }
                if let close = rest.range(of: "}}"),
                   let reference = reference(rest[rest.index(rest.startIndex, offsetBy: 2)..<close.lowerBound].trimmingSpaces) {
                    flush()
                    pieces.append(.reference(reference))
                    rest = rest[close.upperBound...]
                    continue
                }
            }
            if rest.hasPrefix("op://") || rest.hasPrefix("env://") || rest.hasPrefix("file://"),
               !(buffer.last.map { $0.isLetter || $0.isNumber || "-+\\.".contains($0) } ?? false) {
                let end = rest.firstIndex { $0 == " " || $0 == "\n" || $0 == "\"" || $0 == "'" || $0 == "\t" } ?? rest.endIndex
                if let reference = reference(String(rest[..<end])) {
                    flush()
                    pieces.append(.reference(reference))
                    rest = rest[end...]
                    continue
                }
            }
            buffer.append(rest.removeFirst())
        }
        flush()
        return pieces
    }

    /// `"text" }}` after `{{`: the text, unescaped, and what follows the braces.
    static func literal(_ text: Substring) -> (text: String, rest: Substring)? {
        var index = text.index(after: text.startIndex)
        var out = ""
        while index < text.endIndex {
            let character = text[index]
            if character == "\\", text.index(after: index) < text.endIndex, text[text.index(after: index)] == "\"" {
                out.append("\"")
                index = text.index(index, offsetBy: 2)
                continue
            }
            if character == "\"" {
                let after = text[text.index(after: index)...].drop { $0 == " " }
                guard after.hasPrefix("}}") else { return nil }
                return (out, after.dropFirst(2))
            }
            out.append(character)
            index = text.index(after: index)
        }
        return nil
    }

    /// Names may hold letters, digits, spaces, `-_.`, a query, and `$VAR` / `${VAR:-x}`.
    static let allowed = Set("-_./?=&$:{}+@% ")

    static func reference(_ text: String) -> SecretReference? {
        for scheme in [SecretReference.Scheme.op, .env, .file] where text.hasPrefix(scheme.rawValue + "://") {
            let body = String(text.dropFirst(scheme.rawValue.count + 3))
            guard !body.isEmpty, body.allSatisfy({ $0.isLetter || $0.isNumber || allowed.contains($0) }) else { return nil }
            return SecretReference(scheme: scheme, body: body)
        }
        return nil
    }
}

extension Substring {
    func replacingOccurrences(of target: String, with replacement: String) -> String {
        String(self).components(separatedBy: target).joined(separator: replacement)
    }
}
