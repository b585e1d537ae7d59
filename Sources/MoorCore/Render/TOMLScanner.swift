extension TOMLSubset {
    struct Scanner {
        let chars: [Unicode.Scalar]
        let line: Int
        var index = 0

        init(_ chars: [Unicode.Scalar], line: Int) {
            self.chars = chars
            self.line = line
        }

        func fail(_ problem: String) -> ParseError { ParseError(line: line, problem: problem) }

        mutating func skipSpace() {
            while index < chars.count, chars[index] == " " || chars[index] == "\t" { index += 1 }
        }

        mutating func skip(_ c: Unicode.Scalar) {
            skipSpace()
            if index < chars.count, chars[index] == c { index += 1 }
        }

        mutating func expect(_ c: Unicode.Scalar) throws {
            skipSpace()
            guard index < chars.count, chars[index] == c else { throw fail("expected `\(c)`") }
            index += 1
        }

        mutating func end() throws {
            skipSpace()
            if index < chars.count { throw fail("unexpected text after a value") }
        }

        mutating func keyPath() throws -> [String] {
            var path: [String] = []
            repeat {
                skipSpace()
                guard index < chars.count else { throw fail("expected a key") }
                if chars[index] == "\"" || chars[index] == "'" {
                    guard case .string(let key) = try value() else { throw fail("expected a key") }
                    path.append(key)
                } else {
                    var key = ""
                    while index < chars.count, isBareKey(chars[index]) { key.unicodeScalars.append(chars[index]); index += 1 }
                    guard !key.isEmpty else { throw fail("expected a key") }
                    path.append(key)
                }
                skipSpace()
            } while index < chars.count && chars[index] == "." && { index += 1; return true }()
            return path
        }

        func isBareKey(_ c: Unicode.Scalar) -> Bool {
            ("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c) || c == "_" || c == "-"
        }

        mutating func value() throws -> Value {
            skipSpace()
            guard index < chars.count else { throw fail("expected a value") }
            switch chars[index] {
            case "\"": return .string(try basicString())
            case "'":
                index += 1
                var text = ""
                while index < chars.count, chars[index] != "'" { text.unicodeScalars.append(chars[index]); index += 1 }
                guard index < chars.count else { throw fail("unclosed string") }
                index += 1
                return .string(text)
            case "[":
                index += 1
                var items: [Value] = []
                skipSpace()
                while index < chars.count, chars[index] != "]" {
                    items.append(try value())
                    skipSpace()
                    if index < chars.count, chars[index] == "," { index += 1; skipSpace() }
                }
                guard index < chars.count else { throw fail("unclosed array") }
                index += 1
                return .array(items)
            default:
                var word = ""
                while index < chars.count, isBareKey(chars[index]) || chars[index] == "+" { word.unicodeScalars.append(chars[index]); index += 1 }
                if word == "true" { return .bool(true) }
                if word == "false" { return .bool(false) }
                if let number = Int(word.replacingAll("_", with: "")) { return .integer(number) }
                throw fail("unsupported value `\(word)`")
            }
        }

        mutating func basicString() throws -> String {
            index += 1
            var text = ""
            while index < chars.count, chars[index] != "\"" {
                if chars[index] == "\\" {
                    index += 1
                    guard index < chars.count else { break }
                    switch chars[index] {
                    case "n": text += "\n"
                    case "t": text += "\t"
                    case "\"": text += "\""
                    case "\\": text += "\\"
                    default: throw fail("unsupported escape")
                    }
                } else {
                    text.unicodeScalars.append(chars[index])
                }
                index += 1
            }
            guard index < chars.count else { throw fail("unclosed string") }
            index += 1
            return text
        }
    }
}
