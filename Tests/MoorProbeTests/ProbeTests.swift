import Foundation
import Testing
@testable import MoorProbe
import MoorTestSupport

/// Probes against real servers on loopback: TCP, TLS with generated certificates, HTTP.
@Suite struct ProbeTests {
    let prober = LiveProber()

    func probe(_ target: String, timeout: Duration = .seconds(10), tls: TLSOptions = TLSOptions(), http: HTTPOptions = HTTPOptions()) async -> ProbeResult {
        await prober.probe(ProbeRequest(target: ProbeTarget.parse(target)!, timeout: timeout, tls: tls, http: http))
    }

    func timed<T>(_ work: () async throws -> T) async rethrows -> (T, Duration) {
        let start = ContinuousClock.now
        let value = try await work()
        return (value, ContinuousClock.now - start)
    }

    @Test func tcpConnectsAndARefusedPortSaysSo() async throws {
        let server = try await TestServer.start(.http(status: 200, body: "ok"))
        let ok = await probe("127.0.0.1:\(server.port)")
        #expect(ok.ok && ok.connected)
        #expect(ok.phases.connect != nil)
        let closed = try await TestServer.start(.silent)
        let port = closed.port
        await closed.stop()
        let refused = await probe("127.0.0.1:\(port)")
        #expect(refused.failure?.message == "tcp: connection refused")
        #expect(!refused.connected)
    }

    @Test func anUnknownHostIsADNSFailure() async {
        let result = await probe("https://nosuch.invalid/")
        #expect(result.failure?.layer == .dns)
        #expect(result.failure?.message == "dns: no such host")
    }

    @Test func httpsWithTheRightNameAndCA() async throws {
        let ca = try TestPKI.authority()
        let leaf = try TestPKI.leaf("k8s", dns: ["k8s.tail8d86e.ts.net", "localhost"], ips: ["127.0.0.1"], issuer: ca)
        let server = try await TestServer.start(.http(status: 200, body: #"{"status":"UP"}"#), tls: leaf, alpn: ["http/1.1"])
        let result = await probe("https://127.0.0.1:\(server.port)/healthz", tls: TLSOptions(caPEM: Array(ca.certificatePEM.utf8), serverName: "k8s.tail8d86e.ts.net"))
        #expect(result.ok, "\(String(describing: result.failure))")
        #expect(result.http?.status == 200)
        #expect(result.http?.body == #"{"status":"UP"}"#)
        let certificate = try #require(result.certificate)
        #expect(certificate.subject == "CN=k8s")
        #expect(certificate.issuer == "CN=moor test CA")
        #expect(certificate.sans == ["k8s.tail8d86e.ts.net", "localhost", "127.0.0.1"])
        #expect(certificate.verified && certificate.nameMatches)
        #expect(certificate.tlsVersion == "TLS 1.3")
        #expect(certificate.alpn == "http/1.1", "the server negotiates http/1.1")
        #expect(certificate.earliestExpiry == certificate.notAfter)
        #expect(certificate.trust == "the given CA (1 certificate)", "the result says which roots verified it")
        for phase in [result.phases.resolve, result.phases.connect, result.phases.tls, result.phases.firstByte, result.phases.transfer] {
            #expect(phase != nil)
        }
    }

    /// Without `ca`, the system's roots: the macOS keychain's anchors there, the CA bundle
    /// here; the result names them, and a private CA's certificate is an unknown authority.
    @Test func withoutACATheSystemRootsAreUsedAndNamed() async throws {
        let ca = try TestPKI.authority()
        let leaf = try TestPKI.leaf("k8s", dns: ["localhost"], ips: ["127.0.0.1"], issuer: ca)
        let server = try await TestServer.start(.http(status: 200, body: "ok"), tls: leaf)
        let result = await probe("tls://127.0.0.1:\(server.port)", tls: TLSOptions(serverName: "localhost"))
        let trust = try #require(result.certificate?.trust)
        #if os(macOS)
        #expect(trust.hasPrefix("system roots: the macOS keychain's trust anchors ("), "\(trust)")
        #else
        #expect(trust.hasPrefix("system roots: /etc/"), "\(trust)")
        #endif
        #expect(trust.hasSuffix(" certificates)"))
        #expect(result.failure?.message.hasPrefix("tls: certificate signed by an unknown authority (issuer CN=moor test CA)") == true, "\(String(describing: result.failure))")
    }

    @Test func aCertificateWithoutTheTailnetNameIsNamed() async throws {
        let ca = try TestPKI.authority()
        let leaf = try TestPKI.leaf("minikube", dns: ["minikube"], ips: ["127.0.0.1"], issuer: ca)
        let server = try await TestServer.start(.http(status: 200, body: "ok"), tls: leaf)
        let result = await probe("tls://127.0.0.1:\(server.port)", tls: TLSOptions(caPEM: Array(ca.certificatePEM.utf8), serverName: "k8s.tail8d86e.ts.net"))
        #expect(result.failure?.message == "tls: certificate valid for [minikube, 127.0.0.1], not k8s.tail8d86e.ts.net")
        #expect(result.certificate?.verified == true)
        #expect(result.certificate?.nameMatches == false)
        let insecure = await probe("tls://127.0.0.1:\(server.port)", tls: TLSOptions(caPEM: Array(ca.certificatePEM.utf8), serverName: "k8s.tail8d86e.ts.net", insecure: true))
        #expect(insecure.ok, "insecure still reports, but does not fail")
    }

    @Test func anExpiredCertificateSaysHowLongAgo() async throws {
        let ca = try TestPKI.authority()
        let leaf = try TestPKI.leaf("old", dns: ["localhost"], issuer: ca, notBefore: Date().addingTimeInterval(-86_400 * 30),
                                    notAfter: Date().addingTimeInterval(-86_400 * 3 - 3600))
        let server = try await TestServer.start(.http(status: 200, body: "ok"), tls: leaf)
        let result = await probe("https://localhost:\(server.port)/", tls: TLSOptions(caPEM: Array(ca.certificatePEM.utf8)))
        #expect(result.failure?.message.hasPrefix("tls: certificate expired 3 days ago (") == true, "\(String(describing: result.failure))")
        #expect(result.http == nil, "no request goes to a server that failed verification")
    }

    @Test func selfSignedNeedsItsCA() async throws {
        let leaf = try TestPKI.leaf("self", dns: ["localhost"], issuer: nil)
        let server = try await TestServer.start(.http(status: 200, body: "ok"), tls: leaf)
        let untrusted = await probe("https://localhost:\(server.port)/")
        #expect(untrusted.failure?.message == "tls: certificate signed by an unknown authority (issuer CN=self); give `ca:` to trust a private CA")
        let trusted = await probe("https://localhost:\(server.port)/", tls: TLSOptions(caPEM: Array(leaf.certificatePEM.utf8)))
        #expect(trusted.ok, "\(String(describing: trusted.failure))")
    }

    @Test func aServerThatWantsAClientCertificate() async throws {
        let ca = try TestPKI.authority()
        let leaf = try TestPKI.leaf("api", dns: ["localhost"], issuer: ca)
        let client = try TestPKI.leaf("minikube-user", issuer: ca)
        let server = try await TestServer.start(.http(status: 200, body: "{}"), tls: leaf, clientCA: ca)
        let anonymous = await probe("https://localhost:\(server.port)/version", tls: TLSOptions(caPEM: Array(ca.certificatePEM.utf8)))
        #expect(anonymous.failure?.layer == .tls)
        #expect(anonymous.failure?.message == "tls: the server requires a client certificate; give `cert` and `key` (or `kubeconfig:`)")
        let authenticated = await probe("https://localhost:\(server.port)/version", tls: TLSOptions(
            caPEM: Array(ca.certificatePEM.utf8), certificatePEM: Array(client.certificatePEM.utf8), keyPEM: Array(client.keyPEM.utf8)))
        #expect(authenticated.ok, "\(String(describing: authenticated.failure))")
        #expect(authenticated.http?.status == 200)
    }

    @Test func aPeerThatNeverAnswersTheClientHello() async throws {
        let server = try await TestServer.start(.silent)
        let (result, elapsed) = await timed { await probe("tls://127.0.0.1:\(server.port)", timeout: .seconds(1)) }
        let message = try #require(result.failure?.message)
        #expect(message.hasPrefix("tls: handshake timed out after 1s (TCP connected in "))
        #expect(message.hasSuffix(" ms; the peer accepted the connection but never answered the ClientHello — typical of a TCP proxy whose upstream does not speak TLS or is unreachable)"))
        #expect(result.connected)
        #expect(elapsed < .milliseconds(2500))
    }

    @Test func garbageInsteadOfTLS() async throws {
        let server = try await TestServer.start(.garbage)
        let result = await probe("https://127.0.0.1:\(server.port)/", timeout: .seconds(2))
        #expect(result.failure?.message == "tls: the peer did not answer with TLS (it may speak plain HTTP or another protocol on this port)")
    }

    @Test func slowAnswersAreTimedAndTooSlowOnesTimeOut() async throws {
        let slow = try await TestServer.start(.http(status: 200, body: "late", delay: .milliseconds(300)))
        let result = await probe("http://127.0.0.1:\(slow.port)/")
        #expect(result.ok)
        #expect((result.phases.firstByte ?? 0) >= 290)
        let slower = try await TestServer.start(.http(status: 200, body: "too late", delay: .seconds(3)))
        let (late, elapsed) = await timed { await probe("http://127.0.0.1:\(slower.port)/", timeout: .seconds(1)) }
        #expect(late.failure?.message == "http: timed out after 1s waiting for the response header")
        #expect(elapsed < .milliseconds(2500))
    }

    @Test func hostilePeersCostAtMostTheTimeoutAndBoundedMemory() async throws {
        let huge = try await TestServer.start(.hugeBody(bytes: 100 << 20))
        let (big, bigTime) = await timed { await probe("http://127.0.0.1:\(huge.port)/", timeout: .seconds(5), http: HTTPOptions(bodyLimit: 1 << 20)) }
        #expect(big.ok)
        #expect(big.http?.truncated == true)
        #expect(big.http?.body.utf8.count == 1 << 20)
        #expect((big.http?.bodyBytes ?? 0) < 4 << 20, "reading stopped soon after the limit")
        #expect(bigTime < .seconds(5))

        let endless = try await TestServer.start(.endlessHeader)
        let (header, headerTime) = await timed { await probe("http://127.0.0.1:\(endless.port)/", timeout: .seconds(3)) }
        #expect(header.failure?.message == "http: the response header is too large (more than 80 KiB); the peer may not speak HTTP")
        #expect(headerTime < .seconds(3))

        let drip = try await TestServer.start(.drip(interval: .milliseconds(500)))
        let (dripped, dripTime) = await timed { await probe("http://127.0.0.1:\(drip.port)/", timeout: .seconds(1)) }
        #expect(dripped.failure?.message == "http: timed out after 1s waiting for the response header")
        #expect(dripTime < .milliseconds(2500))
    }

    @Test func targetsParse() {
        #expect(ProbeTarget.parse("https://k8s.tail8d86e.ts.net/healthz") == ProbeTarget(kind: .https, host: "k8s.tail8d86e.ts.net", port: 443, path: "/healthz"))
        #expect(ProbeTarget.parse("pg.ops.eblu.me:5432") == ProbeTarget(kind: .tcp, host: "pg.ops.eblu.me", port: 5432))
        #expect(ProbeTarget.parse("postgres://db") == ProbeTarget(kind: .postgres, host: "db", port: 5432))
        #expect(ProbeTarget.parse("tls://[::1]:6443") == ProbeTarget(kind: .tls, host: "::1", port: 6443))
        #expect(ProbeTarget.parse("http://x:8080?q=1")?.path == "/?q=1")
        for bad in ["", "host", "ftp://x:1", "x:99999", "tls://x", "a b:1", "x:1/path"] { #expect(ProbeTarget.parse(bad) == nil, "\(bad)") }
    }
}

/// A missing trust store is an error naming where moor looked, never an empty list that fails
/// every public certificate as an unknown authority.
@Suite struct SystemRootsTests {
    @Test func noTrustStoreIsAnErrorNamingThePlaces() throws {
        let found = SystemRoots.find(paths: ["/nonexistent/a.pem", "/nonexistent/b.crt"], platform: { nil }, platformName: "the keychain")
        guard case .failure(let missing) = found else { Issue.record("found roots in nothing"); return }
        #expect(missing.description == "no system trust store: no certificates in the keychain, /nonexistent/a.pem, /nonexistent/b.crt; install the CA certificates (Debian: ca-certificates) or give `ca:`")
    }

    @Test func theFirstBundleWithCertificatesIsUsedAndNamed() throws {
        let scratch = try Scratch("moor-roots")
        let empty = try scratch.write("empty.pem", "")
        let bundle = try scratch.write("bundle.pem", try TestPKI.authority().certificatePEM + (try TestPKI.authority("second").certificatePEM))
        let found = SystemRoots.find(paths: [empty, bundle], platform: { nil }, platformName: nil)
        guard case .success(let (roots, source)) = found else { Issue.record("\(found)"); return }
        #expect(roots.count == 2)
        #expect(source == bundle)
    }
}
