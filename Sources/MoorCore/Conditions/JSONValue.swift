/// A JSON value that remembers its own text, as Gatus' JSON paths need: an object or array
/// resolves to its raw text (`len([BODY][0])` counts characters of `{"age":18}`), a string to
/// its content, a number or boolean to its literal.
public indirect enum JSONValue: Sendable, Equatable {
    case object([(String, JSONValue)], raw: String)
    case array([JSONValue], raw: String)
    case string(String)
    case literal(String)
    case null

    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.object(_, let x), .object(_, let y)), (.array(_, let x), .array(_, let y)): return x == y
        case (.string(let x), .string(let y)), (.literal(let x), .literal(let y)): return x == y
        case (.null, .null): return true
        default: return false
        }
    }

    /// Parses a whole document; nil when it is not JSON (trailing text included).
    public static func parse(_ text: String) -> JSONValue? {
        var parser = JSONParser(Array(text.utf8))
        guard let value = parser.value(depth: 0) else { return nil }
        parser.skipSpace()
        return parser.atEnd ? value : nil
    }

    public subscript(key: String) -> JSONValue? {
        guard case .object(let members, _) = self else { return nil }
        return members.last { $0.0 == key }?.1
    }

    public subscript(index: Int) -> JSONValue? {
        guard case .array(let items, _) = self, items.indices.contains(index) else { return nil }
        return items[index]
    }

    /// The text a condition compares; nil for `null`.
    public var text: String? {
        switch self {
        case .object(_, let raw), .array(_, let raw): return raw
        case .string(let value), .literal(let value): return value
        case .null: return nil
        }
    }
}

struct JSONParser {
    let bytes: [UInt8]
    var index = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool { index >= bytes.count }

    mutating func skipSpace() {
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
    }

    mutating func value(depth: Int) -> JSONValue? {
        guard depth < 256 else { return nil }
        skipSpace()
        guard index < bytes.count else { return nil }
        let start = index
        switch bytes[index] {
        case UInt8(ascii: "{"):
            index += 1
            var members: [(String, JSONValue)] = []
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
                index += 1
                return .object([], raw: raw(from: start))
            }
            while true {
                skipSpace()
                guard let key = string(), expect(":"), let member = value(depth: depth + 1) else { return nil }
                members.append((key, member))
                skipSpace()
                if expect(",") { continue }
                guard expect("}") else { return nil }
                return .object(members, raw: raw(from: start))
            }
        case UInt8(ascii: "["):
            index += 1
            var items: [JSONValue] = []
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
                index += 1
                return .array([], raw: raw(from: start))
            }
            while true {
                guard let item = value(depth: depth + 1) else { return nil }
                items.append(item)
                skipSpace()
                if expect(",") { continue }
                guard expect("]") else { return nil }
                return .array(items, raw: raw(from: start))
            }
        case UInt8(ascii: "\""):
            return string().map(JSONValue.string)
        default:
            while index < bytes.count, !",]} \t\r\n".utf8.contains(bytes[index]) { index += 1 }
            let literal = raw(from: start)
            if literal == "null" { return .null }
            if literal == "true" || literal == "false" || Double(literal) != nil { return .literal(literal) }
            return nil
        }
    }

    func raw(from start: Int) -> String { String(decoding: bytes[start..<index], as: UTF8.self) }

    mutating func expect(_ character: Character) -> Bool {
        skipSpace()
        guard index < bytes.count, bytes[index] == character.asciiValue else { return false }
        index += 1
        return true
    }

    mutating func string() -> String? {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
        index += 1
        var out: [UInt8] = []
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard index < bytes.count else { return nil }
                let escaped = bytes[index]
                index += 1
                switch escaped {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "u"):
                    guard index + 4 <= bytes.count, let code = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16) else { return nil }
                    index += 4
                    out += Array(String(Unicode.Scalar(code).map(Character.init) ?? "\u{FFFD}").utf8)
                default: out.append(escaped)
                }
            default:
                out.append(byte)
            }
        }
        return nil
    }
}
