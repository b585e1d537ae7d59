import ArgumentParser
import Foundation
import MoorCore
import MoorProbe
import MoorSystem

/// `moor probe TARGET`: a one-off layered probe, no lab file needed.
struct ProbeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Probe a URL, host:port, tls://host:port or postgres://host:port layer by layer. Exit 0 only when every layer passed.")

    @Argument(help: "https://host/path, http://…, host:port (TCP), tls://host:port or postgres://host:port.")
    var target: String

    @Option(help: "Seconds (or a duration such as 500ms) for the whole probe.")
    var timeout = "5s"

    @Option(help: "A PEM file of CA certificates to trust instead of the system roots.")
    var ca: String?

    @Option(help: "A PEM client certificate (with --key).")
    var cert: String?

    @Option(help: "The PEM private key of --cert.")
    var key: String?

    @Option(help: "The name to ask for (SNI) and to expect in the certificate.")
    var serverName: String?

    @Flag(help: "Do not fail on certificate problems; still report them.")
    var insecure = false

    @Option(name: [.short, .customLong("output")], help: "text or json.")
    var output: OutputFormat = .text

    @Flag(help: "Print each layer's timing and the trust roots used on stderr, and the causes of an error.")
    var debug = false

    func validate() throws {
        guard ProbeTarget.parse(target) != nil else {
            throw ValidationError("cannot read the target `\(target)`; use https://host/path, host:port, tls://host:port or postgres://host:port")
        }
        guard let milliseconds = Int(timeout).map({ $0 * 1000 }) ?? Units.milliseconds(timeout), milliseconds > 0 else {
            throw ValidationError("--timeout takes a duration above zero, such as 5s or 500ms")
        }
        guard (cert == nil) == (key == nil) else { throw ValidationError("--cert and --key go together") }
    }

    func run() async throws {
        let milliseconds = Int(timeout).map { $0 * 1000 } ?? Units.milliseconds(timeout) ?? 5000
        func read(_ path: String?) throws -> [UInt8]? {
            guard let path else { return nil }
            return try Files.readBounded(path, limit: 1 << 20)
        }
        var tls = TLSOptions(caPEM: try read(ca), certificatePEM: try read(cert), keyPEM: try read(key),
                             serverName: serverName, insecure: insecure)
        (tls.caSource, tls.certificateSource, tls.keySource) = (ca, cert, key)
        let request = ProbeRequest(target: ProbeTarget.parse(target)!, timeout: .milliseconds(milliseconds), tls: tls)
        let result = await LiveProber().probe(request)
        try Task.checkCancellation()
        if debug {
            let phases = result.phases
            Console.err("debug: probe \(result.target) ip=\(result.ip ?? "-") resolve=\(phases.resolve ?? -1)ms connect=\(phases.connect ?? -1)ms tls=\(phases.tls ?? -1)ms firstByte=\(phases.firstByte ?? -1)ms transfer=\(phases.transfer ?? -1)ms total=\(result.durationMs)ms")
            if let trust = result.certificate?.trust { Console.err("debug: verified against \(trust)") }
        }
        switch output {
        case .json: try Console.json(result)
        case .text: Console.out(CheckRender.layers(result, kind: request.target.kind))
        }
        if !result.ok { throw CommandEnd.checksFailed }
    }
}
