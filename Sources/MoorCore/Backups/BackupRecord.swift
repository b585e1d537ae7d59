import Foundation

/// One backup of one cluster's volumes, as the journal and `backup.json` keep it.
public struct BackupRecord: Sendable, Equatable, Codable {
    /// How a claim was backed up.
    public enum Kind: String, Sendable, Codable {
        /// Its directory as a tar archive, checked file by file against the node's manifest.
        case files
        /// A PostgreSQL logical dump (`pg_dump`), for a claim of a CloudNativePG cluster.
        case logical
    }

    public struct Claim: Sendable, Equatable, Codable {
        public var volume: ClaimVolume
        public var kind: Kind
        public var bytes: Int
        public var files: Int

        public init(volume: ClaimVolume, kind: Kind, bytes: Int, files: Int) {
            self.volume = volume
            self.kind = kind
            self.bytes = bytes
            self.files = files
        }

        /// The archive's and manifest's file names in the backup's directory.
        public var archive: String { volume.claim.fileName + ".tar" }
        public var manifest: String { volume.claim.fileName + ".manifest" }
    }

    public var id: String
    public var cluster: String
    public var createdAt: Date
    /// The backup's directory.
    public var directory: String
    public var claims: [Claim]
    public var bytes: Int
    public var seconds: Double
    public var verified: Bool
    /// Why it failed, when it did (then nothing of it is kept but this row).
    public var error: String?
    /// The logical dumps of the CloudNativePG clusters whose claims it covers (their claims
    /// are `logical`: no file of theirs is archived).
    public var dumps: [DatabaseDump]?
    /// Why it was taken when not on schedule (`move grafana`): such a backup is neither
    /// pruned with the others nor offered to restore a lost cluster.
    public var purpose: String?

    public init(id: String, cluster: String, createdAt: Date, directory: String, claims: [Claim], bytes: Int, seconds: Double,
                verified: Bool, error: String? = nil) {
        self.id = id
        self.cluster = cluster
        self.createdAt = createdAt
        self.directory = directory
        self.claims = claims
        self.bytes = bytes
        self.seconds = seconds
        self.verified = verified
        self.error = error
    }

    public var databaseDumps: [DatabaseDump] { dumps ?? [] }

    /// `files`, `logical`, or `files+logical`.
    public var kind: String {
        let kinds = Set(claims.map(\.kind))
        return kinds.count > 1 ? "files+logical" : (kinds.first ?? .files).rawValue
    }

    /// `minikube-20261201-023000`: the cluster and the UTC time, sortable.
    public static func makeID(cluster: String, at date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%@-%04d%02d%02d-%02d%02d%02d", cluster, c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
    }

    /// `3 claims, 412 MB`.
    public var summary: String {
        "\(claims.count) claim\(claims.count == 1 ? "" : "s"), \(Self.size(bytes))"
    }

    public static func size(_ bytes: Int) -> String {
        if bytes >= 1_000_000_000 { return String(format: "%.1f GB", Double(bytes) / 1e9) }
        if bytes >= 1_000_000 { return String(format: "%.0f MB", Double(bytes) / 1e6) }
        if bytes >= 1_000 { return String(format: "%.0f kB", Double(bytes) / 1e3) }
        return "\(bytes) B"
    }

    /// `3 h`, `2 d`: a backup's age for plan lines and `moor backups`.
    public static func age(_ seconds: Double) -> String {
        if seconds < 120 { return "\(Int(seconds)) s" }
        if seconds < 7_200 { return "\(Int(seconds / 60)) min" }
        if seconds < 172_800 { return "\(Int(seconds / 3_600)) h" }
        return "\(Int(seconds / 86_400)) d"
    }
}
