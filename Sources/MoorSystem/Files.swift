import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MoorCore

/// Files moor owns: written atomically (temp file + rename) with an explicit mode, in
/// directories created 0700.
public enum Files {
    public static func ensureDirectory(_ path: String, mode: mode_t = 0o700) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw MoorError(code: .io, message: "\(path) exists and is not a directory")
            }
            return
        }
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: Int(mode)])
        } catch {
            throw MoorError(code: .io, message: "could not create the directory \(path): \(error.localizedDescription)")
        }
    }

    /// This process's user id.
    public static var userID: UInt32 { UInt32(getuid()) }

    /// A 0700 directory that must belong to this user (a shared place such as /tmp): one
    /// made by someone else, or opened to others, is refused rather than used.
    public static func ensureOwnDirectory(_ path: String) throws {
        try ensureDirectory(path)
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw MoorError(code: .io, message: "cannot inspect \(path): \(String(cString: strerror(errno)))")
        }
        guard info.st_uid == getuid() else {
            throw MoorError(code: .refused, message: "\(path) belongs to another user; remove it, or set MOOR_STATE_DIR to a shorter path")
        }
        if info.st_mode & 0o077 != 0 { chmod(path, 0o700) }
    }

    /// Writes `bytes` to a temporary file beside `path`, sets `mode`, then renames it over
    /// `path`: readers see the old file or the new one, never half of one.
    public static func writeAtomically(_ bytes: [UInt8], to path: String, mode: mode_t = 0o600) throws {
        let directory = (path as NSString).deletingLastPathComponent
        try ensureDirectory(directory.isEmpty ? "." : directory)
        let temporary = "\(path).moor-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL, mode)
        guard fd >= 0 else { throw MoorError(code: .io, message: "could not write \(path): \(String(cString: strerror(errno)))") }
        var ok = fchmod(fd, mode) == 0
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while ok, offset < buffer.count {
                let written = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if written <= 0 { ok = false } else { offset += written }
            }
        }
        ok = ok && fsync(fd) == 0
        close(fd)
        guard ok, rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw MoorError(code: .io, message: "could not write \(path): \(reason)")
        }
    }

    /// `$HOME`, as shells see it, else the account's home directory.
    public static var homeDirectory: String {
        if let home = ProcessInfo.processInfo.environment["HOME"], !home.isEmpty { return home }
        return NSHomeDirectory()
    }

    /// `~/x` with the user's home directory.
    public static func expandTilde(_ path: String, home: String = Files.homeDirectory) -> String {
        if path == "~" { return home }
        if path.hasPrefix("~/") { return home + path.dropFirst(1) }
        return path
    }
}
