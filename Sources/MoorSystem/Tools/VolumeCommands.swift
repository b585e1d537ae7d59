import MoorCore

/// What a backup runs on a cluster's node, as root, on one volume directory (`$1`). The
/// scripts are constants; the path is a positional argument.
public enum VolumeCommands {
    /// `size NUL sha256 NUL ./path NUL` for every regular file (see `BackupManifest.script`).
    public static func manifest(_ path: String) -> [String] {
        ["sh", "-c", BackupManifest.script, "sh", path]
    }

    /// The manifest, or nothing when the directory is not there.
    public static func manifestIfPresent(_ path: String) -> [String] {
        ["sh", "-c", #"[ ! -d "$1" ] || { "# + BackupManifest.script + "; }", "sh", path]
    }

    /// The directory as a tar archive on stdout, owners and modes kept.
    public static func archive(_ path: String) -> [String] {
        ["sh", "-c", #"tar -C "$1" -cf - ."#, "sh", path]
    }

    /// The directory's size in KiB (`du -sk`).
    public static func size(_ path: String) -> [String] {
        ["sh", "-c", #"du -sk "$1""#, "sh", path]
    }

    /// A tar archive on stdin unpacked beside the directory, then put in its place. Whatever
    /// was at the path is kept as `PATH.moor-replaced-STAMP`, never deleted.
    public static func restore(_ path: String, stamp: String) -> [String] {
        ["sh", "-c", restoreScript, "sh", path, stamp]
    }

    static let restoreScript = #"set -e; rm -rf "$1.moor-restore"; mkdir -p "$1.moor-restore"; tar -C "$1.moor-restore" -xpf -; if [ -e "$1" ]; then mv "$1" "$1.moor-replaced-$2"; fi; mv "$1.moor-restore" "$1""#
}
