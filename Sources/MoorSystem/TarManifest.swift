import Crypto
import Foundation
import MoorCore
#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#endif

/// Reads a tar archive (ustar, GNU long names, pax paths) as a stream and computes the
/// manifest of its regular files, 64 KiB at a time: memory stays bounded whatever the size.
public enum TarManifest {
    public struct Invalid: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// `following`: while it returns true, the file is still being written (the archive
    /// streaming in): an end of file is waited out instead of taken as the end, so the
    /// archive is checked as it arrives, not read again afterwards.
    public static func compute(_ path: String, following: (@Sendable () -> Bool)? = nil) throws -> BackupManifest {
        var fd = open(path, O_RDONLY)
        while fd < 0, errno == ENOENT, following?() == true {
            usleep(2_000)
            fd = open(path, O_RDONLY)
        }
        guard fd >= 0 else { throw MoorError(code: .fileMissing, message: "cannot open the backup \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var reader = BlockReader(fd: fd, following: following)
        var files: [String: BackupManifest.Entry] = [:]
        var longName: String?
        var paxPath: String?
        while let header = try reader.block() {
            if header.allSatisfy({ $0 == 0 }) { break }
            let size = try number(header[124..<136])
            let type = header[156]
            var name = cString(header[0..<100])
            if header[257..<262].elementsEqual("ustar".utf8) {
                let prefix = cString(header[345..<500])
                if !prefix.isEmpty { name = prefix + "/" + name }
            }
            switch type {
            case UInt8(ascii: "L"):
                longName = cString(try reader.data(size)[...])
                continue
            case UInt8(ascii: "x"):
                paxPath = pax(try reader.data(size))["path"]
                continue
            case UInt8(ascii: "g"), UInt8(ascii: "K"):
                _ = try reader.data(size)
                continue
            default:
                break
            }
            let fullName = BackupManifest.normalize(paxPath ?? longName ?? name)
            longName = nil
            paxPath = nil
            if type == UInt8(ascii: "0") || type == 0 || type == UInt8(ascii: "7") {
                var hash = SHA256()
                try reader.stream(size) { hash.update(data: $0) }
                files[fullName] = .init(size: size, sha256: hash.finalize().map { String(format: "%02x", $0) }.joined())
            } else {
                try reader.skip(size)
            }
        }
        return BackupManifest(files: files)
    }

    static func cString(_ bytes: ArraySlice<UInt8>) -> String {
        String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
    }

    /// Octal, or base-256 (high bit set) for sizes over 8 GiB.
    static func number(_ field: ArraySlice<UInt8>) throws -> Int {
        if let first = field.first, first & 0x80 != 0 {
            return field.dropFirst().reduce(Int(first & 0x7f)) { $0 << 8 | Int($1) }
        }
        let text = String(decoding: field.prefix { $0 != 0 && $0 != 0x20 }.drop { $0 == 0x20 }, as: UTF8.self)
        guard let value = Int(text.isEmpty ? "0" : text, radix: 8) else { throw Invalid(description: "a size field is not a number: \(text)") }
        return value
    }

    /// `LEN key=value\n` records.
    static func pax(_ data: [UInt8]) -> [String: String] {
        var result: [String: String] = [:]
        var rest = data[...]
        while let space = rest.firstIndex(of: 0x20), let length = Int(String(decoding: rest[rest.startIndex..<space], as: UTF8.self)), length > 0,
              rest.count >= length {
            let record = rest[rest.index(after: space)..<(rest.startIndex + length - 1)]
            if let equals = record.firstIndex(of: UInt8(ascii: "=")) {
                result[String(decoding: record[..<equals], as: UTF8.self)] = String(decoding: record[record.index(after: equals)...], as: UTF8.self)
            }
            rest = rest.dropFirst(length)
        }
        return result
    }
}

/// 512-byte blocks of a file descriptor, read 64 KiB at a time.
struct BlockReader {
    let fd: Int32
    let following: (@Sendable () -> Bool)?
    var buffer = [UInt8](repeating: 0, count: 65_536)
    var start = 0
    var end = 0

    init(fd: Int32, following: (@Sendable () -> Bool)? = nil) {
        self.fd = fd
        self.following = following
    }

    mutating func fill() throws -> Bool {
        if start == end {
            while true {
                // Asked before the read: a writer that finished has written everything.
                let writing = following?() ?? false
                let count = buffer.withUnsafeMutableBytes { Glue.read(fd, $0.baseAddress!, $0.count) }
                guard count >= 0 else { throw TarManifest.Invalid(description: "read failed: \(String(cString: strerror(errno)))") }
                if count == 0, writing {
                    usleep(2_000)
                    continue
                }
                start = 0
                end = count
                break
            }
        }
        return end > start
    }

    /// Up to `count` bytes, or nil at the end of the file.
    mutating func bytes(_ count: Int) throws -> ArraySlice<UInt8>? {
        guard try fill() else { return nil }
        let take = min(count, end - start)
        defer { start += take }
        return buffer[start..<(start + take)]
    }

    mutating func block() throws -> [UInt8]? {
        var block: [UInt8] = []
        while block.count < 512, let chunk = try bytes(512 - block.count) { block += chunk }
        if block.isEmpty { return nil }
        guard block.count == 512 else { throw TarManifest.Invalid(description: "the archive ends in the middle of a header") }
        return block
    }

    /// Streams `size` bytes of an entry to `body`, then skips its padding.
    mutating func stream(_ size: Int, _ body: (ArraySlice<UInt8>) -> Void) throws {
        var left = size
        while left > 0 {
            guard let chunk = try bytes(left) else { throw TarManifest.Invalid(description: "the archive ends in the middle of a file") }
            body(chunk)
            left -= chunk.count
        }
        try skip(0, padding: (512 - size % 512) % 512)
    }

    mutating func skip(_ size: Int, padding: Int? = nil) throws {
        var left = size + (padding ?? (512 - size % 512) % 512)
        while left > 0 {
            guard let chunk = try bytes(left) else { throw TarManifest.Invalid(description: "the archive ends early") }
            left -= chunk.count
        }
    }

    /// A small entry's data (a long name, pax records), with its padding skipped.
    mutating func data(_ size: Int) throws -> [UInt8] {
        guard size <= 1 << 20 else { throw TarManifest.Invalid(description: "an extended header of \(size) bytes") }
        var data: [UInt8] = []
        try stream(size) { data += $0 }
        return data
    }
}

extension TarManifest.Invalid: MoorErrorConvertible {
    public var moorError: MoorError { MoorError(.unreadable, description) }
}
