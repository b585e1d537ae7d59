import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One line that names the broken layer and its likely cause. BoringSSL reports reasons only
/// as text, so the TLS cases read it here, in one place.
enum Diagnosis {
    static func connect(_ error: (any Error)?, deadline: Deadline) -> String {
        if let error = error as? ChannelError, case .connectTimeout = error { return "timed out after \(deadline.totalText)" }
        if deadline.expired { return "timed out after \(deadline.totalText)" }
        if let errno = errnoValue(error) {
            switch errno {
            case ECONNREFUSED: return "connection refused"
            case ENETUNREACH: return "network unreachable"
            case EHOSTUNREACH: return "host unreachable"
            case ETIMEDOUT: return "timed out after \(deadline.totalText)"
            default: return String(cString: strerror(errno))
            }
        }
        return "connect failed: \(error.map { String(describing: $0) } ?? "no address")"
    }

    static func errnoValue(_ error: (any Error)?) -> Int32? {
        if let error = error as? IOError { return error.errnoCode }
        if let error = error as? NIOConnectionError {
            for attempt in error.connectionErrors { if let code = errnoValue(attempt.error) { return code } }
        }
        return nil
    }

    static func handshakeTimedOut(deadline: Deadline, connectMs: Double) -> String {
        "handshake timed out after \(deadline.totalText) (TCP connected in \(Int(connectMs.rounded())) ms; the peer accepted the connection but never answered the ClientHello — typical of a TCP proxy whose upstream does not speak TLS or is unreachable)"
    }

    static let clientCertificateRequired = "the server requires a client certificate; give `cert` and `key` (or `kubeconfig:`)"

    /// BoringSSL's alert for a missing client certificate, during or just after the handshake.
    static func reason(_ error: any Error) -> ProbeResult.Failure.Reason? {
        let text = String(describing: error)
        if text.contains("CERTIFICATE_REQUIRED") || text.contains("HANDSHAKE_FAILURE") && text.contains("ALERT") {
            return .clientCertificateRequired
        }
        return nil
    }

    static func tls(_ error: any Error) -> String {
        let text = String(describing: error)
        if text.contains("WRONG_VERSION_NUMBER") || text.contains("PACKET_LENGTH_TOO_LONG") || text.contains("HTTP_REQUEST") {
            return "the peer did not answer with TLS (it may speak plain HTTP or another protocol on this port)"
        }
        if reason(error) == .clientCertificateRequired { return clientCertificateRequired }
        if error is ConnectionClosed || text.contains("uncleanShutdown") {
            return "the peer closed the connection during the handshake"
        }
        return "handshake failed: \(text)"
    }

    /// After a TLS handshake, an alert about client certificates arrives on the first read.
    static func layerAfterTLS(_ error: any Error) -> ProbeResult.Layer {
        String(describing: error).contains("CERTIFICATE_REQUIRED") ? .tls : .http
    }

    static func http(_ error: any Error) -> String {
        if String(describing: error).contains("CERTIFICATE_REQUIRED") { return clientCertificateRequired }
        if let parser = error as? HTTPParserError {
            switch parser {
            case .headerOverflow: return "the response header is too large (more than 80 KiB); the peer may not speak HTTP"
            default: return "the response is not valid HTTP (\(parser))"
            }
        }
        if error is ConnectionClosed { return "the connection closed before a complete response" }
        return "request failed: \(error)"
    }

    static func tlsVersion(_ version: TLSVersion) -> String {
        switch version {
        case .tlsv13: return "TLS 1.3"
        case .tlsv12: return "TLS 1.2"
        case .tlsv11: return "TLS 1.1"
        case .tlsv1: return "TLS 1.0"
        }
    }
}
