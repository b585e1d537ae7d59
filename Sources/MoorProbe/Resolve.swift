import Foundation
import NIOCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Name resolution with getaddrinfo, on its own thread so the deadline can win.
enum Resolve {
    struct Failed: Error { var message: String }

    /// Addresses for `host`, IPv4 first; a literal address is returned without a lookup.
    static func addresses(_ host: String, port: Int, deadline: Deadline) async throws -> [SocketAddress] {
        if let literal = try? SocketAddress(ipAddress: host, port: port) { return [literal] }
        return try await Race.first(deadline) {
            try await withCheckedThrowingContinuation { continuation in
                Thread.detachNewThread {
                    continuation.resume(with: lookup(host, port: port))
                }
            }
        }
    }

    static func lookup(_ host: String, port: Int) -> Result<[SocketAddress], any Error> {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            let message: String
            if status == EAI_NONAME || status == EAI_AGAIN && host.isEmpty {
                message = "no such host"
            } else if status == EAI_AGAIN {
                message = "lookup of \(host) failed temporarily (no DNS server answered)"
            } else {
                message = "lookup of \(host) failed: \(String(cString: gai_strerror(status)))"
            }
            return .failure(Failed(message: message))
        }
        defer { freeaddrinfo(list) }
        var addresses: [SocketAddress] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let entry = cursor {
            if let sockaddr = entry.pointee.ai_addr {
                switch Int32(entry.pointee.ai_family) {
                case AF_INET:
                    let address = sockaddr.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee }
                    addresses.append(SocketAddress(address, host: host))
                case AF_INET6:
                    let address = sockaddr.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee }
                    addresses.append(SocketAddress(address, host: host))
                default:
                    break
                }
            }
            cursor = entry.pointee.ai_next
        }
        var seen = Set<String>()
        let unique = addresses.filter { seen.insert($0.description).inserted }
        return .success(unique.filter { $0.protocol == .inet } + unique.filter { $0.protocol != .inet })
    }
}
