import Foundation
import MoorCore
import MoorSystem

/// Where backups live: `<root>/<cluster>/<id>/`, one `<ns>__<claim>.tar` and `.manifest` a
/// claim and a `backup.json`. A backup is written under `<id>.partial` and renamed into
/// place only once every archive matched its manifest, so a directory named by an id is
/// always a verified backup. Directories are 0700, files 0600.
struct BackupStore: Sendable {
    let root: String
    let files: any FileAccess

    /// The lab's `backups.path` (or the state directory's `backups`). A path of the lab file
    /// must already exist: if it is a NAS mount that vanished, writing there would fill the
    /// local disk with a backup nobody looks for.
    static func resolve(_ spec: BackupsSpec?, context: MoorContext) throws -> BackupStore {
        let files = context.files
        guard let configured = spec?.path else {
            let root = context.stateDirectory + "/backups"
            try files.ensureDirectory(root)
            chmod(root, 0o700)
            return BackupStore(root: root, files: files)
        }
        let root = configured.hasPrefix("~/") ? context.home + configured.dropFirst(1) : configured
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw MoorError(.fileMissing, "backups.path \(root) does not exist (is the NAS mounted?); nothing was backed up, and moor does not create it: mount it, or create the directory if it is meant to be local")
        }
        return BackupStore(root: root, files: files)
    }

    func directory(cluster: String) -> String { root + "/" + cluster }

    func ensureClusterDirectory(_ cluster: String) throws {
        try files.ensureDirectory(directory(cluster: cluster))
        chmod(directory(cluster: cluster), 0o700)
    }

    /// Free bytes where backups are written, when the file system says.
    var freeBytes: Int? { files.freeBytes(root) }

    func remove(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }
}
