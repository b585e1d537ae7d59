import Foundation

/// JSON merge patch (RFC 7386), also standing in for strategic merge and server-side apply
/// on the objects moor writes, and JSON patch (RFC 6902) add, replace and remove.
enum JSONPatching {
    static func merge(_ target: [String: Any], _ patch: [String: Any]) -> [String: Any] {
        var result = target
        for (key, value) in patch {
            if value is NSNull {
                result[key] = nil
            } else if let inner = value as? [String: Any] {
                result[key] = merge(result[key] as? [String: Any] ?? [:], inner)
            } else {
                result[key] = value
            }
        }
        return result
    }

    struct Failure: Error, CustomStringConvertible { var description: String }

    static func apply(_ operations: [[String: Any]], to object: [String: Any]) throws -> [String: Any] {
        var result: Any = object
        for operation in operations {
            guard let op = operation["op"] as? String, let path = operation["path"] as? String else { throw Failure(description: "op and path are required") }
            let tokens = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map {
                $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            }
            switch op {
            case "add", "replace": result = try set(result, tokens[...], operation["value"] ?? NSNull(), replace: op == "replace")
            case "remove": result = try set(result, tokens[...], nil, replace: true)
            default: throw Failure(description: "unsupported op \(op)")
            }
        }
        guard let dictionary = result as? [String: Any] else { throw Failure(description: "the result is not an object") }
        return dictionary
    }

    static func set(_ node: Any, _ path: ArraySlice<String>, _ value: Any?, replace: Bool) throws -> Any {
        guard let head = path.first else { return value ?? NSNull() }
        let last = path.count == 1
        if var dictionary = node as? [String: Any] {
            if last {
                if replace && dictionary[head] == nil { throw Failure(description: "no \(head) to replace") }
                dictionary[head] = value
            } else {
                guard let child = dictionary[head] else { throw Failure(description: "no \(head)") }
                dictionary[head] = try set(child, path.dropFirst(), value, replace: replace)
            }
            return dictionary
        }
        if var array = node as? [Any] {
            let index = head == "-" ? array.count : (Int(head) ?? -1)
            guard index >= 0, index <= array.count else { throw Failure(description: "index \(head) out of range") }
            if last {
                if let value {
                    if replace { guard index < array.count else { throw Failure(description: "index \(head) out of range") }; array[index] = value } else { array.insert(value, at: index) }
                } else {
                    guard index < array.count else { throw Failure(description: "index \(head) out of range") }
                    array.remove(at: index)
                }
            } else {
                guard index < array.count else { throw Failure(description: "index \(head) out of range") }
                array[index] = try set(array[index], path.dropFirst(), value, replace: replace)
            }
            return array
        }
        throw Failure(description: "\(head) is below a value that is not an object or array")
    }
}
