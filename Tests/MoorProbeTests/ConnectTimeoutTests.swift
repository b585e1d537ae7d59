import Foundation
import Testing
import MoorProbe
import MoorTestSupport
#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#endif

/// A listener whose accept queue is full drops new SYNs, so a connect hangs as it would to a
/// host that silently drops packets; all on loopback.
@Suite struct ConnectTimeoutTests {
    @Test func aConnectThatHangsIsATCPTimeout() async throws {
        let listener = socket(AF_INET, PortableSocket.stream, 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ready = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Bool in
                bind(listener, pointer, length) == 0 && listen(listener, 0) == 0 && getsockname(listener, pointer, &length) == 0
            }
        }
        try #require(ready)
        let port = Int(UInt16(bigEndian: address.sin_port))
        // Fill the accept queue (never accepted).
        var fillers: [Int32] = []
        defer { fillers.forEach { close($0) } }
        for _ in 0..<3 {
            let fd = socket(AF_INET, PortableSocket.stream, 0)
            _ = fcntl(fd, F_SETFL, O_NONBLOCK)
            var target = address
            _ = withUnsafePointer(to: &target) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, length) } }
            fillers.append(fd)
        }
        try await Task.sleep(for: .milliseconds(100))
        let start = ContinuousClock.now
        let result = await LiveProber().probe(ProbeRequest(target: ProbeTarget(kind: .tcp, host: "127.0.0.1", port: port), timeout: .seconds(1)))
        #expect(result.failure?.message == "tcp: timed out after 1s")
        #expect(!result.connected)
        #expect(ContinuousClock.now - start < .milliseconds(2500))
    }
}
