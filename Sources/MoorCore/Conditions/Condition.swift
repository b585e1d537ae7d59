/// A check condition in Gatus' syntax: `[STATUS] == 200`, `[BODY].status == UP`,
/// `[RESPONSE_TIME] < 300ms`, `len([BODY].items) > 0`, `[STATUS] == any(200, 204)`.
public struct Condition: Sendable, Equatable, CustomStringConvertible {
    public let text: String

    /// Which values the output shows: Gatus resolves failed conditions by default.
    public enum Resolution: Sendable { case failures, all, none }

    public struct Outcome: Sendable, Equatable {
        public var success: Bool
        /// The condition with resolved values, e.g. `[STATUS] (500) == 200`.
        public var output: String
    }

    static let operators = [" == ", " != ", " <= ", " >= ", " > ", " < "]

    public init(_ text: String) { self.text = text }
    public var description: String { text }

    /// Why the condition cannot be evaluated, for lab-file validation.
    public static func problem(in text: String) -> String? {
        operators.contains(where: text.contains) ? nil
            : "condition `\(text)` has no operator; write it like `[STATUS] == 200` (==, !=, <, <=, >, >=, with spaces)"
    }

    public func evaluate(_ context: ConditionContext, resolution: Resolution = .failures) -> Outcome {
        guard let op = Self.operators.first(where: text.contains), let range = text.range(of: op) else {
            return Outcome(success: false, output: text)
        }
        let parameters = [String(text[..<range.lowerBound]), String(text[range.upperBound...])].map { $0.trimmingSpaces }
        let resolver = Resolver(context: context)
        let resolved = parameters.map(resolver.resolve)
        let success: Bool
        var shown: [String?]
        switch op {
        case " == ", " != ":
            let equal = Self.isEqual(parameters, resolved)
            success = op == " == " ? equal : !equal
            shown = zip(parameters, resolved).map { $0 == $1 ? nil : $1 }
        default:
            let numbers = resolved.map(GoNumbers.numeric)
            switch op {
            case " <= ": success = numbers[0] <= numbers[1]
            case " >= ": success = numbers[0] >= numbers[1]
            case " > ": success = numbers[0] > numbers[1]
            default: success = numbers[0] < numbers[1]
            }
            shown = zip(parameters, numbers).map { parameter, number in
                if Resolver.isPlaceholder(parameter) {
                    return parameter == "[CERTIFICATE_EXPIRATION]" ? GoNumbers.prettyDuration(milliseconds: number) : String(number)
                }
                return String(number) == parameter || GoNumbers.duration(parameter) != nil ? nil : String(number)
            }
        }
        let show = resolution == .all || (resolution == .failures && !success)
        let output = zip(parameters, shown).map { parameter, value in
            guard show, let value, value != parameter else { return parameter }
            return "\(parameter) (\(Self.truncate(value)))"
        }.joined(separator: op)
        return Outcome(success: success, output: output)
    }

    static func isEqual(_ parameters: [String], _ resolved: [String]) -> Bool {
        for (function, other) in [(parameters[0], resolved[1]), (parameters[1], resolved[0])] {
            if let inner = Self.argument(of: "any", in: function) {
                return inner.split(separator: ",").map { $0.trimmingSpaces }.contains(other)
            }
            if let pattern = Self.argument(of: "pat", in: function) {
                return Glob.matches(other, pattern: pattern)
            }
        }
        if resolved[0] == resolved[1] { return true }
        if let a = GoNumbers.parseInt(resolved[0]), let b = GoNumbers.parseInt(resolved[1]) { return a == b }
        return false
    }

    static func argument(of function: String, in text: String) -> String? {
        guard text.hasPrefix(function + "("), text.hasSuffix(")") else { return nil }
        return String(text.dropFirst(function.count + 1).dropLast())
    }

    static func truncate(_ value: String) -> String {
        value.count > 25 ? String(value.prefix(25)) + "...(truncated)" : value
    }
}

/// Glob patterns for `pat()`: `*` is any run of characters, `?` one character.
enum Glob {
    static func matches(_ text: String, pattern: String) -> Bool {
        let t = Array(text), p = Array(pattern)
        var ti = 0, pi = 0, star = -1, mark = 0
        while ti < t.count {
            if pi < p.count, p[pi] == "?" || p[pi] == t[ti] {
                ti += 1; pi += 1
            } else if pi < p.count, p[pi] == "*" {
                star = pi; mark = ti; pi += 1
            } else if star >= 0 {
                pi = star + 1; mark += 1; ti = mark
            } else {
                return false
            }
        }
        while pi < p.count, p[pi] == "*" { pi += 1 }
        return pi == p.count
    }
}
