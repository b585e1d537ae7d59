/// Go's number and duration parsing, as Gatus uses it for `<`, `<=`, `>`, `>=`: a side is a
/// non-zero duration (in milliseconds), else an integer (`0x`, `0o`, `0b` prefixes allowed),
/// else a float (truncated), else 0. moor also accepts a `d` (day) unit, which Go does not.
enum GoNumbers {
    static func numeric(_ text: String) -> Int64 {
        if let duration = duration(text), duration != 0 { return duration }
        if let integer = parseInt(text) { return integer }
        if let float = Double(text), float.isFinite, abs(float) < 9e18 { return Int64(float) }
        return 0
    }

    /// `strconv.ParseInt(s, 0, 64)`.
    static func parseInt(_ text: String) -> Int64? {
        var body = Substring(text)
        var negative = false
        if body.hasPrefix("-") || body.hasPrefix("+") { negative = body.hasPrefix("-"); body = body.dropFirst() }
        body = Substring(String(body).replacingAll("_", with: ""))
        var radix = 10
        let lower = body.lowercased()
        if lower.hasPrefix("0x") { radix = 16; body = body.dropFirst(2) }
        else if lower.hasPrefix("0o") { radix = 8; body = body.dropFirst(2) }
        else if lower.hasPrefix("0b") { radix = 2; body = body.dropFirst(2) }
        else if body.count > 1, body.hasPrefix("0") { radix = 8; body = body.dropFirst() }
        guard !body.isEmpty, let value = Int64(body, radix: radix) else { return nil }
        return negative ? -value : value
    }

    /// `time.ParseDuration` in milliseconds (`1h30m`, `1.5s`, `500ms`), plus `d`.
    static func duration(_ text: String) -> Int64? {
        var rest = Substring(text)
        var sign: Double = 1
        if rest.hasPrefix("-") || rest.hasPrefix("+") { sign = rest.hasPrefix("-") ? -1 : 1; rest = rest.dropFirst() }
        if rest == "0" { return 0 }
        guard !rest.isEmpty else { return nil }
        var total = 0.0
        while !rest.isEmpty {
            let number = rest.prefix { $0.isNumber || $0 == "." }
            guard !number.isEmpty, let value = Double(number) else { return nil }
            rest = rest.dropFirst(number.count)
            let unit = rest.prefix { !$0.isNumber && $0 != "." }
            rest = rest.dropFirst(unit.count)
            let scale: Double
            switch unit {
            case "ns": scale = 1e-6
            case "us", "µs", "μs": scale = 1e-3
            case "ms": scale = 1
            case "s": scale = 1000
            case "m": scale = 60_000
            case "h": scale = 3_600_000
            case "d": scale = 86_400_000
            default: return nil
            }
            total += value * scale
        }
        guard total.isFinite, total < 9e18 else { return nil }
        return Int64(sign * total)
    }

    /// `86400000` → `24h`, `5400000` → `1h30m`, `1500` → `1.5s`-ish as `1s500ms`.
    static func prettyDuration(milliseconds: Int64) -> String {
        if milliseconds == 0 { return "0s" }
        var rest = abs(milliseconds)
        var out = milliseconds < 0 ? "-" : ""
        for (unit, size) in [("h", Int64(3_600_000)), ("m", 60_000), ("s", 1000), ("ms", 1)] where rest >= size {
            out += "\(rest / size)\(unit)"
            rest %= size
        }
        return out
    }
}
