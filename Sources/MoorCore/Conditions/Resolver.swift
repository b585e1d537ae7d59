/// Resolves placeholders and functions to the text conditions compare.
struct Resolver {
    let context: ConditionContext
    static let invalid = "INVALID"

    static func isPlaceholder(_ parameter: String) -> Bool {
        parameter.hasPrefix("[") || parameter.hasPrefix("len(") || parameter.hasPrefix("has(")
    }

    func resolve(_ parameter: String) -> String {
        if let inner = Condition.argument(of: "len", in: parameter) {
            guard let value = value(inner) else { return Self.invalid }
            if case .array(let items, _) = value { return String(items.count) }
            return String(value.text?.utf8.count ?? 0)
        }
        if let inner = Condition.argument(of: "has", in: parameter) {
            return value(inner) == nil ? "false" : "true"
        }
        switch parameter.uppercased() {
        case "[STATUS]": return context.status.map(String.init) ?? "0"
        case "[IP]": return context.ip ?? ""
        case "[RESPONSE_TIME]": return String(context.responseTimeMilliseconds)
        case "[CONNECTED]": return context.connected ? "true" : "false"
        case "[CERTIFICATE_EXPIRATION]": return String(context.certificateExpirationMilliseconds)
        case "[EXIT_CODE]": return context.exitCode.map(String.init) ?? Self.invalid
        case "[STDOUT]": return context.stdout ?? Self.invalid
        case "[DNS_RCODE]", "[DOMAIN_EXPIRATION]": return Self.invalid
        default: break
        }
        if parameter.hasPrefix("[BODY]") || parameter.hasPrefix("[STDOUT]") {
            return value(parameter)?.text ?? Self.invalid
        }
        return parameter
    }

    /// The value at `[BODY].a.b[0]` (or `[STDOUT]…`); nil when the path does not resolve or is null.
    func value(_ placeholder: String) -> JSONValue? {
        let (source, root) = placeholder.hasPrefix("[STDOUT]") ? (context.stdout, "[STDOUT]") : (context.body, "[BODY]")
        guard placeholder.hasPrefix(root), let source else { return nil }
        let path = placeholder.dropFirst(root.count)
        if path.isEmpty { return JSONValue.parse(source) ?? .string(source) }
        guard var current = JSONValue.parse(source), let steps = Self.steps(String(path)) else { return nil }
        for step in steps {
            switch step {
            case .key(let key): guard let next = current[key] else { return nil }; current = next
            case .index(let index): guard let next = current[index] else { return nil }; current = next
            }
        }
        if case .null = current { return nil }
        return current
    }

    enum Step { case key(String), index(Int) }

    /// `.a.b[0].c` or `[0].id` into steps.
    static func steps(_ path: String) -> [Step]? {
        var steps: [Step] = []
        var rest = Substring(path)
        while !rest.isEmpty {
            if rest.hasPrefix(".") {
                rest = rest.dropFirst()
                let key = rest.prefix { $0 != "." && $0 != "[" }
                guard !key.isEmpty else { return nil }
                steps.append(.key(String(key)))
                rest = rest.dropFirst(key.count)
            } else if rest.hasPrefix("[") {
                guard let close = rest.firstIndex(of: "]"), let index = Int(rest[rest.index(after: rest.startIndex)..<close]) else { return nil }
                steps.append(.index(index))
                rest = rest[rest.index(after: close)...]
            } else {
                return nil
            }
        }
        return steps
    }
}
