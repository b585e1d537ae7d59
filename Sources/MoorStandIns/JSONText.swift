/// JSON written with keys in a chosen order, as Go's encoding/json writes structs, so the
/// stand-ins print what the real tools print (compact, or MarshalIndent with two spaces).
indirect enum JSONText {
    case string(String)
    case int(Int)
    case bool(Bool)
    case null
    case array([JSONText])
    case object([(String, JSONText)])

    func compact() -> String {
        switch self {
        case .string(let text): return Self.quote(text)
        case .int(let number): return String(number)
        case .bool(let flag): return flag ? "true" : "false"
        case .null: return "null"
        case .array(let items): return "[" + items.map { $0.compact() }.joined(separator: ",") + "]"
        case .object(let pairs): return "{" + pairs.map { "\(Self.quote($0.0)):\($0.1.compact())" }.joined(separator: ",") + "}"
        }
    }

    func indented(_ level: Int = 0) -> String {
        let pad = String(repeating: "  ", count: level + 1), end = String(repeating: "  ", count: level)
        switch self {
        case .array(let items) where !items.isEmpty:
            return "[\n" + items.map { pad + $0.indented(level + 1) }.joined(separator: ",\n") + "\n\(end)]"
        case .object(let pairs) where !pairs.isEmpty:
            return "{\n" + pairs.map { "\(pad)\(Self.quote($0.0)): \($0.1.indented(level + 1))" }.joined(separator: ",\n") + "\n\(end)}"
        default:
            return compact()
        }
    }

    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<": out += "\\u003c"
            case ">": out += "\\u003e"
            case "&": out += "\\u0026"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
