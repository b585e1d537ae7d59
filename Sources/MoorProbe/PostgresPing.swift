import NIOCore

/// "Is PostgreSQL accepting connections?", the way pg_isready asks: send a startup message
/// and read the first answer. An authentication request, or an error about credentials,
/// means the server accepts connections; SQLSTATE 57P03 means it is starting up or shutting
/// down (rejecting); silence means no response.
enum PostgresPing {
    static func startupMessage(user: String = "moor-probe", database: String = "postgres") -> [UInt8] {
        var body: [UInt8] = [0x00, 0x03, 0x00, 0x00]
        for (key, value) in [("user", user), ("database", database), ("application_name", "moor")] {
            body += Array(key.utf8) + [0] + Array(value.utf8) + [0]
        }
        body.append(0)
        let length = UInt32(body.count + 4)
        return [UInt8(length >> 24), UInt8(length >> 16 & 0xff), UInt8(length >> 8 & 0xff), UInt8(length & 0xff)] + body
    }

    enum Answer: Equatable {
        case accepting
        case rejecting(String)
        case unknown(String)
    }

    static func classify(_ bytes: [UInt8]) -> Answer {
        guard let type = bytes.first else { return .unknown("empty answer") }
        switch type {
        case UInt8(ascii: "R"), UInt8(ascii: "N"), UInt8(ascii: "S"):
            return .accepting
        case UInt8(ascii: "E"):
            let fields = errorFields(Array(bytes.dropFirst(5)))
            let message = fields["M"] ?? "error"
            if fields["C"] == "57P03" { return .rejecting(message) }
            return .accepting
        default:
            return .unknown("the peer does not speak the PostgreSQL protocol (first byte 0x\(String(type, radix: 16)))")
        }
    }

    static func errorFields(_ bytes: [UInt8]) -> [String: String] {
        var fields: [String: String] = [:]
        var index = 0
        while index < bytes.count, bytes[index] != 0 {
            let code = String(UnicodeScalar(bytes[index]))
            index += 1
            let start = index
            while index < bytes.count, bytes[index] != 0 { index += 1 }
            fields[code] = String(decoding: bytes[start..<index], as: UTF8.self)
            index += 1
        }
        return fields
    }

    static func run(_ channel: any Channel, message: EventLoopPromise<[UInt8]>, deadline: Deadline, into result: inout ProbeResult) async {
        do {
            try await channel.writeAndFlush(channel.allocator.buffer(bytes: startupMessage())).get()
            let bytes = try await Race.first(deadline, onTimeout: { channel.close(promise: nil) }) { try await message.futureResult.get() }
            switch classify(bytes) {
            case .accepting:
                result.postgres = "accepting"
            case .rejecting(let why):
                result.postgres = "rejecting"
                result.fail(.postgres, "rejecting connections (\(why))")
            case .unknown(let why):
                result.postgres = "no response"
                result.fail(.postgres, why)
            }
        } catch is TimedOut {
            result.postgres = "no response"
            result.fail(.postgres, "no response after \(deadline.totalText) (TCP connected; the peer accepted the connection but did not answer the startup message)")
        } catch {
            result.postgres = "no response"
            result.fail(.postgres, "the connection closed before the server answered")
        }
    }
}
