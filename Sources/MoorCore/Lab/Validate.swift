/// Small syntactic checks for names that end up on command lines.
public enum Validate {
    /// `svc:` followed by a DNS label, as tailscale requires.
    public static func isServiceName(_ text: String) -> Bool {
        guard text.hasPrefix("svc:") else { return false }
        return isDNSLabel(String(text.dropFirst(4)))
    }

    public static func isDNSLabel(_ label: String) -> Bool {
        guard (1...63).contains(label.count), label.first != "-", label.last != "-" else { return false }
        return label.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" }
    }

    /// A DNS name of RFC 1123 labels (letters, digits, hyphens; 1–63 characters each; no
    /// leading or trailing hyphen; 253 characters at most), as a certificate name must be.
    public static func isDNSName(_ text: String) -> Bool {
        let name = text.hasSuffix(".") ? String(text.dropLast()) : text
        guard !name.isEmpty, name.count <= 253 else { return false }
        return name.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            (1...63).contains(label.count) && label.first != "-" && label.last != "-"
                && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
        }
    }

    public static func isProfileName(_ name: String) -> Bool {
        guard let first = name.first, first.isASCII, first.isLetter || first.isNumber, name.count <= 64 else { return false }
        return name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
    }

    /// `host`, `host:port` or `[v6]:port`, with DNS characters only.
    public static func isRegistryHost(_ text: String) -> Bool {
        guard !text.isEmpty, text.count <= 253, !text.hasPrefix("-"), !text.hasPrefix(".") else { return false }
        return text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-.:_[]".contains($0)) }
    }

    public static func isHTTPURL(_ text: String) -> Bool {
        for scheme in ["http://", "https://"] where text.hasPrefix(scheme) {
            let rest = text.dropFirst(scheme.count)
            return !rest.isEmpty && !rest.hasPrefix("/") && !rest.contains(where: { $0 == " " || $0 == "\n" || $0 == "\"" })
        }
        return false
    }

    public static func isIPAddress(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        if parts.count == 4 { return parts.allSatisfy { UInt8($0) != nil } }
        return text.contains(":") && text.allSatisfy { $0.isHexDigit || $0 == ":" }
    }

    /// `host:port` or `[v6]:port`, split; nil when the port is not 1-65535.
    public static func hostPort(_ text: String) -> (host: String, port: Int)? {
        var host: Substring
        var port: Substring
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { return nil }
            port = rest.dropFirst()
        } else {
            guard let colon = text.lastIndex(of: ":") else { return nil }
            host = text[..<colon]
            port = text[text.index(after: colon)...]
            if host.contains(":") { return nil }
        }
        guard !host.isEmpty, let number = Int(port), (1...65535).contains(number) else { return nil }
        return (String(host), number)
    }

    /// 127.0.0.0/8, ::1 and localhost.
    public static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || (isIPAddress(host) && host.hasPrefix("127."))
    }

    /// ntfy's topic names: letters, digits, `-` and `_`, 1 to 64 of them.
    public static func isNtfyTopic(_ text: String) -> Bool {
        (1...64).contains(text.count) && text.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "-" || $0 == "_" }
    }
}
