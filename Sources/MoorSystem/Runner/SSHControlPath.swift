import MoorCore

/// Where the ssh connection-sharing sockets live. A Unix socket's path must fit `sun_path`:
/// 104 bytes on macOS (108 on Linux), and ssh binds the master at `DIR/%C.` plus 16 random
/// characters before renaming it to `DIR/%C` (`%C` is 40 hex digits). A state directory
/// deep enough to overflow that gets a short directory under `/tmp` named by its hash.
public enum SSHControlPath {
    /// macOS's limit, the smaller of the two, counting the terminating NUL.
    public static let socketPathLimit = 104
    /// `/` + `%C` + `.` + 16 random characters, and the NUL.
    static let suffixBytes = 1 + 40 + 1 + 16 + 1

    public static func directory(stateDirectory: String, uid: UInt32, temporary: String = "/tmp") -> String {
        let preferred = stateDirectory + "/ssh"
        if preferred.utf8.count + suffixBytes <= socketPathLimit { return preferred }
        return "\(temporary)/moor-\(uid)-\(hash(stateDirectory))"
    }

    /// The longest socket path ssh may create in `directory`.
    public static func longestSocketPath(in directory: String) -> Int { directory.utf8.count + suffixBytes }

    /// FNV-1a, 32 bits, as 8 hex digits: short and stable across runs and platforms.
    static func hash(_ text: String) -> String {
        var value: UInt32 = 0x811C_9DC5
        for byte in text.utf8 {
            value ^= UInt32(byte)
            value = value &* 0x0100_0193
        }
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }
}
