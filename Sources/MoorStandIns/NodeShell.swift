import Foundation

/// The shell inside a minikube node. `minikube ssh -- WORDS` joins its words with spaces
/// and the node's shell parses the line; here the real `/bin/sh` parses it, so quoting
/// mistakes show up exactly as they would on a node. The commands moor sends then run
/// for real (grep, sh) with absolute paths moved under the node's directory.
struct NodeShell {
    let root: String
    let profile: World.Profile
    /// What `du -sk` says instead of measuring (a tree too large for the backup's disk).
    var duOverrideKiB: Int? = nil

    func run(_ words: [String], stdin: Data) throws -> Outcome {
        var argv = try Self.parse(words.joined(separator: " "))
        if argv.first == "sudo" { argv.removeFirst() }
        guard let command = argv.first else { return Outcome(0) }
        switch command {
        case "grep", "cat", "mv":
            let result = try Self.exec("/usr/bin/env", [command] + argv.dropFirst().map(reroot), stdin: stdin)
            return Outcome(result.exitCode, stdout: result.stdout.replacingOccurrences(of: root, with: ""), stderr: result.stderr.replacingOccurrences(of: root, with: ""))
        case "sh" where argv.count >= 3 && argv[1] == "-c":
            let positional = argv.dropFirst(3).map(reroot)
            if let kib = duOverrideKiB, argv[2].contains("du -sk") { return Outcome(stdout: "\(kib)\t\(positional.first ?? "")\n") }
            return try Self.exec("/bin/sh", ["-c", argv[2]] + positional, stdin: stdin)
        case "docker" where argv.starts(with: ["docker", "info"]):
            return Outcome(stdout: profile.storageDriver + "\n")
        case "systemctl":
            return Outcome(0)
        case "df":
            let used = 61_255_652 * profile.diskUsePercent / 100
            return Outcome(stdout: "Filesystem     1024-blocks     Used Available Capacity Mounted on\n/dev/vda1         61255652 \(used) \(61_255_652 - used) \(profile.diskUsePercent)% /var\n")
        default:
            return Outcome(127, stderr: "bash: line 1: \(command): command not found\n")
        }
    }

    func reroot(_ argument: String) -> String {
        argument.hasPrefix("/") ? root + argument : argument
    }

    /// The words a POSIX shell makes of `line` (running it through `printf`).
    static func parse(_ line: String) throws -> [String] {
        let result = try exec("/bin/sh", ["-c", "printf '%s\\0' " + line], stdin: Data())
        guard result.exitCode == 0 else { throw NodeShellError(message: "the node shell could not parse the line: \(result.stderr)") }
        var words = result.stdout.split(separator: "\0", omittingEmptySubsequences: false).map(String.init)
        if words.last == "" { words.removeLast() }
        return words
    }

    /// Runs a process; stdin, stdout and stderr go through scratch files so no pipe can fill
    /// up, and binary output (a tar archive) arrives as it was.
    static func exec(_ executable: String, _ arguments: [String], stdin: Data) throws -> Outcome {
        let scratch = NSTemporaryDirectory() + "moor-node-\(UUID().uuidString)"
        _ = FileManager.default.createFile(atPath: scratch + ".in", contents: stdin)
        _ = FileManager.default.createFile(atPath: scratch + ".err", contents: nil)
        defer {
            try? FileManager.default.removeItem(atPath: scratch + ".in")
            try? FileManager.default.removeItem(atPath: scratch + ".err")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardInput = FileHandle(forReadingAtPath: scratch + ".in")
        process.standardOutput = output
        process.standardError = FileHandle(forWritingAtPath: scratch + ".err")
        try process.run()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let err = FileManager.default.contents(atPath: scratch + ".err") ?? Data()
        var outcome = Outcome(process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
                              stderr: String(decoding: err, as: UTF8.self))
        outcome.stdoutData = out
        return outcome
    }
}

struct NodeShellError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}


/// One process run to its end, for the stand-ins and the tests that drive real tools beside
/// them (the real `docker`): an argv, stdin as bytes, output kept whole.
public enum NodeProcess {
    public static func run(_ executable: String, _ arguments: [String], stdin: Data) throws -> Outcome {
        try NodeShell.exec(executable, arguments, stdin: stdin)
    }
}
