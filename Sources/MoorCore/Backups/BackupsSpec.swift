/// `backups:`: when `moor watch` backs up each cluster's volumes, how many backups it keeps,
/// where they go, and which claims they hold.
public struct BackupsSpec: Sendable, Equatable {
    public var schedule: BackupSchedule = .daily(hour: 2, minute: 30)
    public var keep = Keep()
    /// Where backups go; nil means `<state directory>/backups`. Another path (a NAS mount)
    /// must exist: moor never creates it, so a vanished mount is an error, not a local copy.
    public var path: String?
    public var volumes: Volumes = .all

    public init() {}

    /// `keep:`: how many daily, weekly and monthly backups stay (the newest of each period).
    public struct Keep: Sendable, Equatable {
        public var daily = 7
        public var weekly = 4
        public var monthly = 6

        public init(daily: Int = 7, weekly: Int = 4, monthly: Int = 6) {
            self.daily = daily
            self.weekly = weekly
            self.monthly = monthly
        }
    }

    public enum Volumes: Sendable, Equatable {
        case all
        /// `namespace/claim` entries.
        case claims([ClaimName])

        public func includes(_ claim: ClaimName) -> Bool {
            switch self {
            case .all: true
            case .claims(let names): names.contains(claim)
            }
        }
    }
}

/// A PersistentVolumeClaim by namespace and name (`media/jellyfin-config`).
public struct ClaimName: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var namespace: String
    public var name: String

    public init(namespace: String, name: String) {
        self.namespace = namespace
        self.name = name
    }

    /// `namespace/claim`, both DNS labels (a claim may be a DNS subdomain).
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2, Self.isName(parts[0]), Self.isName(parts[1]) else { return nil }
        self.init(namespace: parts[0], name: parts[1])
    }

    static func isName(_ text: String) -> Bool {
        guard let first = text.first, text.count <= 253, first.isLetter || first.isNumber else { return false }
        return text.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-" || $0 == ".") }
    }

    public var description: String { "\(namespace)/\(name)" }
    /// The claim as a file name (`media__jellyfin-config`): `/` is not allowed in either part.
    public var fileName: String { "\(namespace)__\(name)" }

    public static func < (a: ClaimName, b: ClaimName) -> Bool { a.description < b.description }
}
