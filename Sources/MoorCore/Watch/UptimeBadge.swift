import Foundation

/// A shields-style SVG badge: `uptime 24h | 99.95%`, coloured by the figure, with the same
/// text in its `<title>` and `aria-label` so it is not colour alone.
public struct UptimeBadge: Sendable, Equatable {
    public enum Window: String, Sendable, CaseIterable {
        case h24 = "24h", d7 = "7d", d30 = "30d"
    }

    public var check: String
    public var window: Window
    /// 0…1, nil when the check has no runs in the window.
    public var uptime: Double?

    public init(check: String, window: Window, uptime: Double?) {
        self.check = check
        self.window = window
        self.uptime = uptime
    }

    /// `99.95%`, `100%`, or `no data`: the badge's right half.
    public var value: String {
        guard let uptime else { return "no data" }
        if uptime >= 1 { return "100%" }
        return String(format: "%.2f%%", (uptime * 100 * 100).rounded(.down) / 100)
    }

    public var color: String {
        guard let uptime else { return "#9f9f9f" }
        return uptime >= 0.999 ? "#2e7d32" : uptime >= 0.99 ? "#8a6d00" : "#c62828"
    }

    public var svg: String {
        let label = "\(check) uptime \(window.rawValue)"
        let left = Self.width(label), right = Self.width(value)
        let text = StatusPage.escape("\(label): \(value)")
        return """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(left + right)" height="20" role="img" aria-label="\(text)">\
        <title>\(text)</title>\
        <rect width="\(left)" height="20" fill="#555"/>\
        <rect x="\(left)" width="\(right)" height="20" fill="\(color)"/>\
        <g fill="#fff" text-anchor="middle" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11">\
        <text x="\(left / 2)" y="14">\(StatusPage.escape(label))</text>\
        <text x="\(left + right / 2)" y="14">\(StatusPage.escape(value))</text>\
        </g></svg>

        """
    }

    /// About Verdana 11 px: 7 px a character, and 10 px of padding on each side.
    static func width(_ text: String) -> Int { text.count * 7 + 20 }
}
