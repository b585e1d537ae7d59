/// Sizes and durations as written in lab files.
public enum Units {
    /// Parses `11264`, `11264MiB`, `11GiB`, `200g`, `512m`, `12GB` into MiB. Like minikube,
    /// every unit is binary: `m`, `MB` and `MiB` all mean 1024² bytes.
    public static func mebibytes(_ text: String) -> Int? {
        let trimmed = text.trimmingSpaces
        let digits = trimmed.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, let number = Int(digits), number <= 1 << 40 else { return nil }
        switch trimmed.dropFirst(digits.count).trimmingSpaces.lowercased() {
        case "", "m", "mb", "mib": return number
        case "g", "gb", "gib": return number * 1024
        case "t", "tb", "tib": return number * 1024 * 1024
        default: return nil
        }
    }

    /// Parses `500ms`, `5s`, `2m`, `1h`, `14d` (and sums such as `1m30s`, or `1.5s`) into
    /// milliseconds: Go's duration syntax, as conditions use it, plus days.
    public static func milliseconds(_ text: String) -> Int? {
        GoNumbers.duration(text.trimmingSpaces).flatMap { $0 >= 0 && $0 <= Int64(Int.max) ? Int($0) : nil }
    }
}

extension StringProtocol {
    var trimmingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
