/// What a probe found, as conditions see it (Gatus' Result, plus `[EXIT_CODE]` and `[STDOUT]`).
public struct ConditionContext: Sendable, Equatable {
    public var status: Int?
    public var ip: String?
    public var responseTimeMilliseconds: Int
    public var body: String?
    public var connected: Bool
    /// Time until the leaf certificate expires; 0 when there is no certificate.
    public var certificateExpirationMilliseconds: Int64
    public var exitCode: Int?
    public var stdout: String?

    public init(status: Int? = nil, ip: String? = nil, responseTimeMilliseconds: Int = 0, body: String? = nil,
                connected: Bool = false, certificateExpirationMilliseconds: Int64 = 0, exitCode: Int? = nil, stdout: String? = nil) {
        self.status = status
        self.ip = ip
        self.responseTimeMilliseconds = responseTimeMilliseconds
        self.body = body
        self.connected = connected
        self.certificateExpirationMilliseconds = certificateExpirationMilliseconds
        self.exitCode = exitCode
        self.stdout = stdout
    }
}
