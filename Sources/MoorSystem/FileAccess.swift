import Foundation
#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#endif
import MoorCore

/// Reading and writing the user's files, as a seam. Every read is bounded: the size is
/// checked before reading, and at most `limit` bytes are ever held.
public protocol FileAccess: Sendable {
    /// The file's bytes; throws `MoorError` (`missingFile`, `unreadable`, `tooLarge`).
    func read(_ path: String, limit: Int) throws -> [UInt8]
    func exists(_ path: String) -> Bool
    /// Atomic (temporary file and rename), with `mode`, in a directory created 0700.
    func write(_ bytes: [UInt8], to path: String, mode: mode_t) throws
    func ensureDirectory(_ path: String) throws
    /// Removes a file; a file already gone is not an error.
    func remove(_ path: String) throws
    /// Bytes available to this user on the file system holding `path`.
    func freeBytes(_ path: String) -> Int?
}

extension FileAccess {
    /// Lab files, certificates, keys, templates: 1 MiB is far above any real one.
    public static var defaultLimit: Int { 1 << 20 }

    public func readText(_ path: String, limit: Int = 1 << 20) throws -> String {
        String(decoding: try read(path, limit: limit), as: UTF8.self)
    }
}

/// The local file system.
public struct LocalFiles: FileAccess {
    public init() {}

    public func read(_ path: String, limit: Int) throws -> [UInt8] {
        try Files.readBounded(path, limit: limit)
    }

    public func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    public func write(_ bytes: [UInt8], to path: String, mode: mode_t) throws {
        try Files.writeAtomically(bytes, to: path, mode: mode)
    }

    public func ensureDirectory(_ path: String) throws { try Files.ensureDirectory(path) }

    public func remove(_ path: String) throws {
        guard unlink(path) == 0 || errno == ENOENT else {
            throw MoorError(code: .io, message: "cannot remove \(path): \(String(cString: strerror(errno)))", argv: [])
        }
    }

    public func freeBytes(_ path: String) -> Int? {
        var info = statvfs()
        guard statvfs(path, &info) == 0 else { return nil }
        return Int(info.f_bavail) * Int(info.f_frsize)
    }
}

extension Files {
    /// Stats first, then reads at most `limit` bytes: a 2 GiB file costs one `stat`, not
    /// 2 GiB of memory. A file that grows while read is refused as well.
    public static func readBounded(_ path: String, limit: Int) throws -> [UInt8] {
        // Non-blocking, so a FIFO or a device cannot hang the open; it is refused below.
        let fd = open(path, O_RDONLY | O_NONBLOCK)
        guard fd >= 0 else {
            let code = errno
            if code == ENOENT || code == ENOTDIR {
                throw MoorError(code: .fileMissing, message: "\(path) does not exist")
            }
            throw MoorError(code: .unreadable, message: "cannot read \(path): \(String(cString: strerror(code)))")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw MoorError(code: .unreadable, message: "cannot read \(path): \(String(cString: strerror(errno)))")
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            throw MoorError(code: .unreadable, message: "cannot read \(path): it is a directory")
        }
        if (info.st_mode & S_IFMT) == S_IFIFO {
            // A pipe the user gave (`-f <(…)`): read it, blocking, as any reader would.
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        } else if (info.st_mode & S_IFMT) != S_IFREG {
            throw MoorError(code: .unreadable, message: "cannot read \(path): it is not a regular file")
        }
        if Int(info.st_size) > limit {
            throw MoorError(code: .tooLarge, message: "\(path) is \(info.st_size) bytes, more than the \(limit) bytes moor reads")
        }
        // Room for the size stat gave, plus one byte to notice a file that grew; more only if it did.
        var bytes = [UInt8](repeating: 0, count: min(limit, max(0, Int(info.st_size))) + 1)
        var total = 0
        while total <= limit {
            if total == bytes.count { bytes += [UInt8](repeating: 0, count: min(65_536, limit + 1 - total)) }
            let count = bytes.withUnsafeMutableBytes { buffer in
                Glue.read(fd, buffer.baseAddress! + total, buffer.count - total)
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw MoorError(code: .unreadable, message: "cannot read \(path): \(String(cString: strerror(errno)))")
            }
            if count == 0 { break }
            total += count
        }
        guard total <= limit else {
            throw MoorError(code: .tooLarge, message: "\(path) is more than the \(limit) bytes moor reads")
        }
        return Array(bytes[..<total])
    }
}

/// libc's read, named apart from FileAccess.read.
enum Glue {
    static func read(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
        #if canImport(Darwin)
        Darwin.read(fd, buffer, count)
        #else
        Glibc.read(fd, buffer, count)
        #endif
    }
}
