import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// Probes a target layer by layer. Tests and the CLI use the live one; check logic takes
/// the protocol.
public protocol Prober: Sendable {
    func probe(_ request: ProbeRequest) async -> ProbeResult
}

/// DNS, TCP, TLS, then HTTP or PostgreSQL, each phase timed and bounded by one deadline.
/// One prober serves a whole run: its TLS contexts and parsed roots are shared by every probe.
public struct LiveProber: Prober {
    let group: any EventLoopGroup
    let caches = ProbeCaches()

    public init(group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) { self.group = group }

    public func probe(_ request: ProbeRequest) async -> ProbeResult {
        let deadline = Deadline(request.timeout)
        var result = ProbeResult(target: request.target.description)
        var session = ProbeSession(request: request, deadline: deadline, group: group, caches: caches)
        await session.run(&result)
        result.durationMs = (ContinuousClock.now - deadline.start).inMilliseconds
        return result
    }
}

/// One probe's connection and its steps.
struct ProbeSession {
    let request: ProbeRequest
    let deadline: Deadline
    let group: any EventLoopGroup
    let caches: ProbeCaches
    var channel: (any Channel)?

    init(request: ProbeRequest, deadline: Deadline, group: any EventLoopGroup, caches: ProbeCaches) {
        self.request = request
        self.deadline = deadline
        self.group = group
        self.caches = caches
    }

    var target: ProbeTarget { request.target }
    var serverName: String { request.tls.serverName ?? target.host }

    mutating func run(_ result: inout ProbeResult) async {
        let loop = group.next()
        let tlsDone = loop.makePromise(of: String?.self)
        let firstByte = loop.makePromise(of: ContinuousClock.Instant.self)
        let response = loop.makePromise(of: CollectedResponse.self)
        let message = loop.makePromise(of: [UInt8].self)
        defer {
            channel?.close(promise: nil)
            // Every promise ends, whichever step returned early.
            tlsDone.fail(ConnectionClosed())
            firstByte.fail(ConnectionClosed())
            response.fail(ConnectionClosed())
            message.fail(ConnectionClosed())
        }
        // Setup: the client identity and the trust roots, before any layer is tried.
        let sslContext: NIOSSLContext?
        let trust: ProbeCaches.Trust?
        do {
            sslContext = target.speaksTLS ? try caches.context(request.tls, http: target.kind == .https) : nil
            trust = target.speaksTLS ? try caches.trust(caPEM: request.tls.caPEM, caSource: request.tls.caSource) : nil
        } catch let problem as TLSSetup.Problem {
            return result.fail(.setup, problem.message)
        } catch let missing as SystemRoots.Missing {
            return result.fail(.setup, missing.description)
        } catch {
            // The only other setup step that throws is reading the CA's certificates.
            return result.fail(.setup, "\(request.tls.caSource.map { "the CA file \($0)" } ?? "the CA") holds no PEM certificate")
        }
        // Resolve.
        var clock = ContinuousClock.now
        let addresses: [SocketAddress]
        do {
            addresses = try await Resolve.addresses(target.host, port: target.port, deadline: deadline)
        } catch let error as Resolve.Failed {
            return result.fail(.dns, error.message)
        } catch {
            return result.fail(.dns, "lookup of \(target.host) timed out after \(deadline.totalText)")
        }
        result.phases.resolve = since(&clock)
        result.ip = addresses.first?.ipAddress

        // Connect; with TLS the handshake starts as soon as TCP is up.
        let chain = ChainCapture()
        let sni = TLSSetup.sni(serverName)
        let kind = target.kind
        let bodyLimit = request.http.bodyLimit
        let bootstrap = ClientBootstrap(group: loop)
            .connectTimeout(deadline.remainingTimeAmount)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    if let sslContext {
                        try sync.addHandler(try NIOSSLClientHandler(context: sslContext, serverHostname: sni) { certificates, promise in
                            chain.set(certificates)
                            promise.succeed(.certificateVerified)
                        })
                    }
                    try sync.addHandler(EventWatcher(tls: tlsDone))
                    switch kind {
                    case .http, .https:
                        try sync.addHTTPClientHandlers()
                        try sync.addHandler(HTTPCollector(limit: bodyLimit, firstByte: firstByte, response: response))
                    case .postgres:
                        try sync.addHandler(MessageCollector(message: message))
                    case .tcp, .tls:
                        break
                    }
                }
            }
        var lastError: (any Error)?
        for address in addresses where channel == nil && !deadline.expired {
            do {
                channel = try await bootstrap.connectTimeout(deadline.remainingTimeAmount).connect(to: address).get()
                result.ip = address.ipAddress
            } catch {
                lastError = error
            }
        }
        guard let channel else {
            return result.fail(.tcp, Diagnosis.connect(lastError, deadline: deadline))
        }
        result.connected = true
        let connectMs = since(&clock)
        result.phases.connect = connectMs

        if target.speaksTLS {
            do {
                let alpn = try await Race.first(deadline, onTimeout: { channel.close(promise: nil) }) { try await tlsDone.futureResult.get() }
                result.phases.tls = since(&clock)
                guard let trust else { return result.fail(.setup, "no trust roots") }
                let inspection = try await CertificateInspector.inspect(chain.certificates, serverName: serverName, caPEM: request.tls.caPEM,
                                                                        trust: trust)
                result.certificate = inspection.report
                result.certificate?.alpn = alpn
                result.certificate?.tlsVersion = try? await channel.nioSSL_tlsVersion().get().map(Diagnosis.tlsVersion)
                if let problem = inspection.problem, !request.tls.insecure { return result.fail(.tls, problem) }
            } catch is TimedOut {
                return result.fail(.tls, Diagnosis.handshakeTimedOut(deadline: deadline, connectMs: connectMs))
            } catch {
                return result.fail(.tls, Diagnosis.tls(error), reason: Diagnosis.reason(error))
            }
        }

        switch target.kind {
        case .http, .https:
            await exchangeHTTP(channel, firstByte: firstByte, response: response, clock: &clock, into: &result)
        case .postgres:
            await PostgresPing.run(channel, message: message, deadline: deadline, into: &result)
        case .tcp, .tls:
            break
        }
    }

    func since(_ clock: inout ContinuousClock.Instant) -> Double {
        let now = ContinuousClock.now
        defer { clock = now }
        return (now - clock).inMilliseconds
    }
}
