import Foundation
import Testing
@testable import MoorProbe
import MoorTestSupport

/// A fleet of probes shares one TLS context per distinct setup and one parse of each CA,
/// and a fast probe keeps nothing alive until its deadline.
@Suite struct ProbeCacheTests {
    @Test func oneContextAndOneTrustForAFleet() async throws {
        let ca = try TestPKI.authority()
        let leaf = try TestPKI.leaf("k8s", dns: ["localhost"], ips: ["127.0.0.1"], issuer: ca)
        let server = try await TestServer.start(.http(status: 200, body: "{}"), tls: leaf)
        let prober = LiveProber()
        let request = ProbeRequest(target: try #require(ProbeTarget.parse("https://127.0.0.1:\(server.port)/")), timeout: .seconds(5),
                                   tls: TLSOptions(caPEM: Array(ca.certificatePEM.utf8)))
        let results = await withTaskGroup(of: ProbeResult.self) { group in
            for _ in 0..<20 { group.addTask { await prober.probe(request) } }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.allSatisfy { $0.ok && $0.certificate?.verified == true }, "\(results.compactMap(\.failure))")
        #expect(prober.caches.counts == (contexts: 1, trusts: 1))
        let tcp = ProbeRequest(target: try #require(ProbeTarget.parse("tls://127.0.0.1:\(server.port)")), timeout: .seconds(5),
                               tls: TLSOptions(caPEM: Array(ca.certificatePEM.utf8)))
        #expect(await prober.probe(tcp).ok)
        #expect(prober.caches.counts == (contexts: 2, trusts: 1), "no ALPN for plain TLS: a second setup")
    }
}
