import Foundation
import Testing
import MoorCore
import MoorTestSupport

/// Gatus' own TestCondition_evaluate cases, run against moor's conditions.
@Suite struct ConditionTests {
    struct Case: Decodable, CustomStringConvertible {
        var name: String
        var condition: String
        var result_go: String
        var expected_success: Bool
        var expected_output: String
        var description: String { name }
    }

    static func cases() throws -> [Case] {
        try Fixtures.text("gatus/condition-evaluate.cases.verbatim.jsonl").split(separator: "\n").map {
            try JSONDecoder().decode(Case.self, from: Data($0.utf8))
        }
    }

    @Test func everyUpstreamCaseBehavesAsUpstreamExpects() throws {
        let cases = try Self.cases()
        #expect(cases.count == 96)
        for test in cases {
            let context = try GoResult.parse(test.result_go)
            // The upstream test sets DontResolveFailedConditions / ResolveSuccessfulConditions on
            // the cases whose names say so; the fixture keeps those flags only in the names.
            let resolution: Condition.Resolution = test.name.contains("dont-resolve") ? .none
                : test.name.contains("resolved-on-success") ? .all : .failures
            let outcome = Condition(test.condition).evaluate(context, resolution: resolution)
            #expect(outcome.success == test.expected_success, "\(test.name): \(test.condition)")
            #expect(outcome.output == test.expected_output, "\(test.name)")
        }
    }

    @Test func moorAddsDaysAndCommandPlaceholders() {
        let context = ConditionContext(certificateExpirationMilliseconds: 10 * 86_400_000, exitCode: 0, stdout: "{\"phase\":\"Running\"}")
        #expect(!Condition("[CERTIFICATE_EXPIRATION] > 14d").evaluate(context).success, "Go would read 14d as 0")
        #expect(Condition("[CERTIFICATE_EXPIRATION] > 14d").evaluate(context).output == "[CERTIFICATE_EXPIRATION] (240h) > 14d")
        #expect(Condition("[EXIT_CODE] == 0").evaluate(context).success)
        #expect(Condition("[STDOUT].phase == Running").evaluate(context).success)
        #expect(Condition("[RESPONSE_TIME] < 500ms").evaluate(ConditionContext(responseTimeMilliseconds: 499)).success)
        #expect(Condition.problem(in: "[STATUS]==200") != nil)
        #expect(Condition.problem(in: "[STATUS] == 200") == nil)
    }
}

/// Reads the Go struct literals of the upstream cases (`&Result{HTTPStatus: 200, Body: []byte("…")}`).
enum GoResult {
    static func parse(_ text: String) throws -> ConditionContext {
        var context = ConditionContext()
        var rest = Substring(text)
        guard rest.hasPrefix("&Result{"), rest.hasSuffix("}") else { throw Bad(text: text) }
        rest = rest.dropFirst("&Result{".count).dropLast()
        while !rest.isEmpty {
            rest = rest.drop { $0 == " " || $0 == "," }
            guard let colon = rest.firstIndex(of: ":") else { break }
            let field = String(rest[..<colon])
            rest = rest[rest.index(after: colon)...].drop { $0 == " " }
            let value: String
            if rest.hasPrefix("[]byte(") {
                rest = rest.dropFirst("[]byte(".count)
                (value, rest) = try literal(rest)
                rest = rest.dropFirst()  // ")"
            } else if rest.hasPrefix("\"") {
                (value, rest) = try literal(rest)
            } else {
                let end = rest.firstIndex(of: ",") ?? rest.endIndex
                value = String(rest[..<end])
                rest = rest[end...]
            }
            switch field {
            case "IP": context.ip = value
            case "HTTPStatus": context.status = Int(value)
            case "Connected": context.connected = value == "true"
            case "Body": context.body = value
            case "Duration": context.responseTimeMilliseconds = Int(try milliseconds(value))
            case "CertificateExpiration": context.certificateExpirationMilliseconds = try milliseconds(value)
            default: throw Bad(text: text)
            }
        }
        return context
    }

    /// A Go interpreted ("…" with escapes) or raw (`…`) string literal.
    static func literal(_ text: Substring) throws -> (String, Substring) {
        guard let quote = text.first else { throw Bad(text: String(text)) }
        var rest = text.dropFirst()
        var out = ""
        while let c = rest.first {
            rest = rest.dropFirst()
            if c == quote { return (out, rest) }
            if c == "\\" && quote == "\"", let escaped = rest.first {
                rest = rest.dropFirst()
                out.append(escaped == "n" ? "\n" : escaped == "t" ? "\t" : escaped)
            } else {
                out.append(c)
            }
        }
        throw Bad(text: String(text))
    }

    static func milliseconds(_ text: String) throws -> Int64 {
        let parts = text.components(separatedBy: " * ")
        guard parts.count == 2, let n = Int64(parts[0]) else { throw Bad(text: text) }
        switch parts[1] {
        case "time.Millisecond": return n
        case "time.Second": return n * 1000
        case "time.Hour": return n * 3_600_000
        default: throw Bad(text: text)
        }
    }

    struct Bad: Error { var text: String }
}
