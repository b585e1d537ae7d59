/// What `moor kubeconfig` did and found.
public struct KubeconfigReport: Sendable, Equatable, Encodable {
    public struct File: Sendable, Equatable, Encodable {
        public var path: String
        public var mode: String
        public var changed: Bool
    }

    public struct Verification: Sendable, Equatable, Encodable {
        public var ok: Bool
        /// `tls`, `certificate-name`, `authentication` or `api` when a step failed.
        public var step: String?
        public var message: String?
        /// The API server's `gitVersion`, when `/version` answered.
        public var version: String?
    }

    public var context: String
    public var server: String
    public var path: String
    public var files: [File]
    public var merged: File?
    public var backup: String?
    public var verify: Verification?
    /// With `--print-env`: the line that sets KUBECONFIG for the user's shell.
    public var export: String?

    public var changed: Bool { files.contains(where: \.changed) || merged?.changed == true }
}

/// Options of `moor kubeconfig`.
public struct KubeconfigOptions: Sendable {
    public var embed: Bool
    public var merge: Bool
    public var verify: Bool
    /// `$KUBECONFIG`, for `--merge`'s target.
    public var kubeconfigVariable: String?
    public var home: String

    public init(embed: Bool = false, merge: Bool = false, verify: Bool = true, kubeconfigVariable: String? = nil, home: String) {
        self.embed = embed
        self.merge = merge
        self.verify = verify
        self.kubeconfigVariable = kubeconfigVariable
        self.home = home
    }
}
