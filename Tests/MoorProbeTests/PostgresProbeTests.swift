import Foundation
import Testing
import MoorProbe
import MoorTestSupport

/// The PostgreSQL probe against a real server (started by .ci/run) and scripted peers.
@Suite struct PostgresProbeTests {
    func probe(_ port: Int, host: String = "127.0.0.1", timeout: Duration = .seconds(8)) async -> ProbeResult {
        await LiveProber().probe(ProbeRequest(target: ProbeTarget(kind: .postgres, host: host, port: port), timeout: timeout))
    }

    /// A server is there in CI (`.ci/run` starts one) or when `MOOR_TEST_POSTGRES` names one;
    /// elsewhere the test is skipped, visibly.
    static var serverExpected: Bool {
        let environment = ProcessInfo.processInfo.environment
        return environment["CI"] == "true" || environment["MOOR_TEST_POSTGRES"] != nil
    }

    @Test(.enabled(if: serverExpected, "no PostgreSQL here: set MOOR_TEST_POSTGRES (as .ci/run does) to run it"))
    func aRealServerIsAcceptingConnections() async throws {
        let address = ProcessInfo.processInfo.environment["MOOR_TEST_POSTGRES"] ?? "127.0.0.1:5432"
        let target = try #require(ProbeTarget.parse("postgres://" + address))
        // A generous timeout: the suite starts many servers and processes at once, and a busy
        // machine has been seen to take 0.7 s for the connect and more for the backend's fork.
        let result = await probe(target.port, host: target.host, timeout: .seconds(10))
        #expect(result.ok, "\(String(describing: result.failure)) — in CI, .ci/run must start PostgreSQL")
        #expect(result.postgres == "accepting")
    }

    @Test func startingUpIsRejecting() async throws {
        var error: [UInt8] = Array("SFATAL\0C57P03\0Mthe database system is starting up\0\0".utf8)
        let length = UInt32(error.count + 4)
        error = [UInt8(ascii: "E"), UInt8(length >> 24), UInt8(length >> 16 & 0xff), UInt8(length >> 8 & 0xff), UInt8(length & 0xff)] + error
        let server = try await TestServer.start(.raw(error))
        let result = await probe(server.port)
        #expect(result.postgres == "rejecting")
        #expect(result.failure?.message == "postgres: rejecting connections (the database system is starting up)")
    }

    @Test func anAuthenticationRequestIsAccepting() async throws {
        let server = try await TestServer.start(.raw([UInt8(ascii: "R"), 0, 0, 0, 8, 0, 0, 0, 5]))
        let result = await probe(server.port)
        #expect(result.ok && result.postgres == "accepting")
    }

    @Test func silenceIsNoResponse() async throws {
        let server = try await TestServer.start(.silent)
        let result = await probe(server.port, timeout: .seconds(1))
        #expect(result.postgres == "no response")
        #expect(result.failure?.message == "postgres: no response after 1s (TCP connected; the peer accepted the connection but did not answer the startup message)")
    }
}
